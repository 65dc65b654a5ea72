package dev.knet.policy.observe;

import dev.knet.policy.enforce.PolicyLayout;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chain of each {@code knet-drop:<id>} rule per node, read from the node's policy table listing. A drop
 * prefix carries only the id, and the id-to-policy map lives in the node agent; the chain is what an outside
 * reader can learn. A node's listing is read again when an id is not in it (the ruleset was re-synced), at
 * most once a second, so a burst of drops does not run nft for each packet.
 */
final class DropRuleLookup {

    private static final Pattern CHAIN = Pattern.compile("^\\s*chain\\s+(\\S+)\\s*\\{");
    private static final Pattern DROP = Pattern.compile("log prefix \"" + Pattern.quote(PolicyLayout.LOG_PREFIX) + "(\\d+) ");
    private static final Duration MIN_REFRESH = Duration.ofSeconds(1);

    private record Listing(Map<Integer, String> chains, Instant readAt) {
    }

    private final Function<String, String> lister;
    private final InstantSource clock;
    private final Map<String, Listing> byNode = new HashMap<>();

    /** @param lister a node namespace to its {@code nft list table inet knet-policy} output; may throw */
    DropRuleLookup(Function<String, String> lister, InstantSource clock) {
        this.lister = lister;
        this.clock = clock;
    }

    /** The site of drop rule {@code id} in {@code netns}; empty when the listing does not have it. */
    synchronized Optional<DropRuleSite> site(String netns, int id) {
        Listing listing = byNode.get(netns);
        Instant now = clock.instant();
        if (listing == null || (!listing.chains().containsKey(id) && !now.isBefore(listing.readAt().plus(MIN_REFRESH)))) {
            listing = new Listing(read(netns), now);
            byNode.put(netns, listing);
        }
        return Optional.ofNullable(listing.chains().get(id)).map(chain -> DropRuleSite.of(id, chain));
    }

    private Map<Integer, String> read(String netns) {
        try {
            return parse(lister.apply(netns));
        } catch (RuntimeException e) {
            return Map.of(); // no table (yet) or no nft: lines then show the bare id
        }
    }

    /** Drop rule id to chain name, from an {@code nft list} output. */
    static Map<Integer, String> parse(String listing) {
        Map<Integer, String> chains = new HashMap<>();
        String chain = null;
        for (String line : listing.split("\n")) {
            Matcher c = CHAIN.matcher(line);
            if (c.find()) {
                chain = c.group(1);
                continue;
            }
            Matcher d = DROP.matcher(line);
            if (chain != null && d.find()) {
                chains.put(Integer.parseInt(d.group(1)), chain);
            }
        }
        return chains;
    }

    /** The id in a prefix such as "knet-drop:12 "; empty for another prefix. */
    static Optional<Integer> id(String prefix) {
        String p = prefix.strip();
        if (!p.startsWith(PolicyLayout.LOG_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(p.substring(PolicyLayout.LOG_PREFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
