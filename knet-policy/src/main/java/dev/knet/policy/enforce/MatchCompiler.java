package dev.knet.policy.enforce;

import dev.knet.policy.AtomTable;
import dev.knet.policy.ContainerPortView;
import dev.knet.policy.Direction;
import dev.knet.policy.PeerMatcher;
import dev.knet.policy.PodUniverse;
import dev.knet.policy.PodView;
import dev.knet.policy.PortMatcher;
import dev.knet.policy.Protocol;
import dev.knet.policy.Rule;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns one compiled rule's peers and ports into nft match expressions over shared sets. A rule matches when
 * any peer and any port clause matches, so all peers become one address set (pod addresses and ipBlock
 * ranges merged) and all port clauses at most two sets: numbered ports as (protocol . port-range), and named
 * ports resolved on every possible destination pod as (address . protocol . port). One rule therefore
 * becomes at most two nft rules, whatever the number of pods.
 */
final class MatchCompiler {

    private final PodUniverse universe;
    private final AtomTable atoms;
    private final SetBook sets;

    MatchCompiler(PodUniverse universe, AtomTable atoms, SetBook sets) {
        this.universe = universe;
        this.atoms = atoms;
        this.sets = sets;
    }

    /** The peer expression ("" when any peer matches), or empty when no peer can ever match. */
    Optional<String> peer(Rule rule, Direction direction) {
        if (rule.allPeers() || rule.peers().stream().anyMatch(p -> p instanceof PeerMatcher.Everything)) {
            return Optional.of("");
        }
        if (rule.peers().isEmpty()) {
            return Optional.empty();
        }
        Intervals ranges = new Intervals();
        for (PeerMatcher peer : rule.peers()) {
            switch (peer) {
                case PeerMatcher.Pods pods -> {
                    BitSet members = atoms.members(pods.atom());
                    for (int pod = members.nextSetBit(0); pod >= 0; pod = members.nextSetBit(pod + 1)) {
                        byte[] ip = universe.ip(pod);
                        if (ip != null && ip.length == 4) {
                            ranges.addAddress(ip);
                        }
                    }
                }
                // IPv6 blocks are not compiled yet: the sets are IPv4 (see the package documentation)
                case PeerMatcher.Block block -> {
                    if (block.cidr().isIpv4()) {
                        ranges.addBlock(block.cidr(), block.except());
                    }
                }
                case PeerMatcher.Everything everything -> throw new IllegalStateException("handled above");
            }
        }
        String field = direction == Direction.EGRESS ? "ip daddr" : "ip saddr";
        return Optional.of(field + " @" + sets.set(SetBook.Kind.PEER, ranges.elements()));
    }

    /**
     * The port expressions, one per nft rule to emit: [""] when the rule has no port clause, empty when its
     * clauses can match nothing (a named port no destination pod has).
     *
     * @param destinations the pods that can be the destination: the local subjects for ingress, every pod
     *                     for egress
     */
    List<String> ports(Rule rule, BitSet destinations) {
        if (rule.ports().isEmpty()) {
            return List.of("");
        }
        Map<Protocol, Intervals> ranges = new EnumMap<>(Protocol.class);
        TreeSet<String> named = new TreeSet<>();
        for (PortMatcher matcher : rule.ports()) {
            switch (matcher) {
                // port ranges reuse the interval merging: ports are small non-negative numbers too
                case PortMatcher.Range r -> ranges.computeIfAbsent(r.protocol(), p -> new Intervals())
                        .addRange(r.from(), r.to());
                case PortMatcher.Named n -> resolveNamed(n, destinations, named);
            }
        }
        List<String> rangeElements = new ArrayList<>();
        ranges.forEach((protocol, rs) -> rs.numberElements().forEach(e -> rangeElements.add(proto(protocol) + " . " + e)));
        List<String> out = new ArrayList<>();
        if (!rangeElements.isEmpty()) {
            out.add("meta l4proto . th dport @" + sets.set(SetBook.Kind.PORT, rangeElements));
        }
        if (!named.isEmpty()) {
            out.add("ip daddr . meta l4proto . th dport @" + sets.set(SetBook.Kind.NAMED_PORT, named));
        }
        return out;
    }

    private void resolveNamed(PortMatcher.Named n, BitSet destinations, TreeSet<String> into) {
        for (int pod = destinations.nextSetBit(0); pod >= 0; pod = destinations.nextSetBit(pod + 1)) {
            byte[] ip = universe.ip(pod);
            if (ip == null || ip.length != 4) {
                continue;
            }
            PodView view = universe.pod(pod);
            for (ContainerPortView cp : view.ports()) {
                if (n.name().equals(cp.name()) && (n.protocol() == null || n.protocol() == cp.protocol())) {
                    into.add(view.ip() + " . " + proto(cp.protocol()) + " . " + cp.port());
                }
            }
        }
    }

    static String proto(Protocol protocol) {
        return protocol.name().toLowerCase(Locale.ROOT);
    }
}
