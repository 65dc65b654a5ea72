package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftSet;
import dev.knet.dataplane.nft.NftObject.SetOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The named sets of one ruleset, shared by content: two rules whose peers select the same addresses (or the
 * same ports) use one set. This is what keeps a cluster with many similar policies to few sets,
 * and it names sets in order of first use so the generated text is stable.
 */
final class SetBook {

    /** What a set holds; decides its name prefix, key type and flags. */
    enum Kind {
        PEER("peer"), SERVICE("svc"), PORT("port"), NAMED_PORT("named"), PEER_PORT("pair");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private record Content(Kind kind, List<String> elements) {
    }

    private final PodMatch podMatch;
    private final Map<Content, String> names = new HashMap<>();
    private final Map<Kind, Integer> counters = new HashMap<>();
    private final List<NftObject> definitions = new ArrayList<>();
    private final SortedMap<String, SortedMap<String, String>> elements = new TreeMap<>();

    SetBook(PodMatch podMatch) {
        this.podMatch = podMatch;
    }

    /** The name of the set holding exactly these elements, created on first use. */
    String set(Kind kind, java.util.Collection<String> items) {
        List<String> sorted = List.copyOf(new TreeSet<>(items));
        return names.computeIfAbsent(new Content(kind, sorted), c -> {
            int n = counters.merge(kind, 1, Integer::sum) - 1;
            String name = kind.prefix + "-" + n;
            definitions.add(new NftSet(PolicyLayout.TABLE, name, key(kind), options(kind, sorted)));
            SortedMap<String, String> els = new TreeMap<>();
            sorted.forEach(e -> els.put(e, ""));
            elements.put(name, els);
            return name;
        });
    }

    /** The elements of a set this book created. */
    java.util.Set<String> elementsOf(String name) {
        SortedMap<String, String> els = elements.get(name);
        if (els == null) {
            throw new IllegalArgumentException("no set " + name);
        }
        return els.keySet();
    }

    /** A set outside the shared pool (the hairpin pairs); its name is fixed by the layout. */
    void fixed(String name, KeySpec key, List<String> items) {
        definitions.add(new NftSet(PolicyLayout.TABLE, name, key, SetOptions.NONE));
        SortedMap<String, String> els = new TreeMap<>();
        items.forEach(e -> els.put(e, ""));
        elements.put(name, els);
    }

    /** A verdict map outside the shared pool (the per-pod dispatch maps). */
    void verdictMap(String name, Map<String, String> items) {
        definitions.add(new NftObject.NftMap(PolicyLayout.TABLE, name, KeySpec.type(podMatch.type()), "verdict",
                SetOptions.NONE));
        elements.put(name, new TreeMap<>(items));
    }

    List<NftObject> definitions() {
        return definitions;
    }

    SortedMap<String, SortedMap<String, String>> elements() {
        return elements;
    }

    private KeySpec key(Kind kind) {
        return switch (kind) {
            case PEER -> KeySpec.type("ipv4_addr");
            case SERVICE -> KeySpec.type("inet_service");
            case PORT -> KeySpec.type("inet_proto . inet_service");
            case NAMED_PORT -> KeySpec.type("ipv4_addr . inet_proto . inet_service");
            case PEER_PORT -> KeySpec.type("ipv4_addr . inet_service");
        };
    }

    /**
     * Peers may be CIDRs minus exceptions and ports endPort ranges: those need interval sets. Sets of single
     * values stay hash sets, because a concatenated interval set (the kernel's pipapo) costs far more to
     * create and load than a hash set.
     */
    private static SetOptions options(Kind kind, List<String> elements) {
        boolean ranges = elements.stream().anyMatch(e -> e.contains("/") || e.contains("-"));
        return switch (kind) {
            case PEER, SERVICE, PORT, PEER_PORT -> ranges ? new SetOptions(List.of("interval"), null, 0) : SetOptions.NONE;
            case NAMED_PORT -> SetOptions.NONE;
        };
    }
}
