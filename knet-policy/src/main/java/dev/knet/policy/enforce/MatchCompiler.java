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
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns one compiled rule's peers and ports into nft match expressions over shared sets. A rule matches when
 * any peer and any port clause matches, so the peers become at most two address matches (the selected pods'
 * addresses; the ipBlocks minus their exceptions) and the port clauses at most two: numbered ports (one
 * protocol: a port or a set of ports and ranges; several: a (protocol . port-range) set), and named ports
 * resolved on every possible destination pod as (address . protocol . port). One rule therefore becomes at
 * most four nft rules, whatever the number of pods.
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

    /**
     * The peer expressions, one per nft rule to emit: [""] when any peer matches, empty when no peer can ever
     * match. Selected pods and ipBlocks go to separate rules on purpose: policies usually share their pod
     * selections but each adds its own ipBlock, and one merged set per rule made every such policy a set of
     * its own repeating every pod address (most of the table's elements). Split, the pod sets are shared by
     * content and a block that is one prefix or range is matched inline, without a set.
     */
    List<String> peers(Rule rule, Direction direction) {
        if (rule.allPeers() || rule.peers().stream().anyMatch(p -> p instanceof PeerMatcher.Everything)) {
            return List.of("");
        }
        Intervals pods = new Intervals();
        Intervals blocks = new Intervals();
        for (PeerMatcher peer : rule.peers()) {
            switch (peer) {
                case PeerMatcher.Pods selected -> {
                    BitSet members = atoms.members(selected.atom());
                    for (int pod = members.nextSetBit(0); pod >= 0; pod = members.nextSetBit(pod + 1)) {
                        byte[] ip = universe.ip(pod);
                        if (ip != null && ip.length == 4) {
                            pods.addAddress(ip);
                        }
                    }
                }
                // IPv6 blocks are not compiled yet: the sets are IPv4 (see the package documentation)
                case PeerMatcher.Block block -> {
                    if (block.cidr().isIpv4()) {
                        blocks.addBlock(block.cidr(), block.except());
                    }
                }
                case PeerMatcher.Everything everything -> throw new IllegalStateException("handled above");
            }
        }
        String field = direction == Direction.EGRESS ? "ip daddr" : "ip saddr";
        List<String> out = new ArrayList<>(2);
        for (Intervals part : List.of(pods, blocks)) {
            List<String> elements = part.elements();
            switch (elements.size()) {
                case 0 -> { } // an empty set never matches: no rule at all
                case 1 -> out.add(field + " " + elements.getFirst());
                default -> out.add(field + " @" + sets.set(SetBook.Kind.PEER, elements));
            }
        }
        return out;
    }

    /**
     * One peer expression matching what any of {@code peerExpressions} (each from {@link #peers}, none the
     * empty "any peer") matches: their addresses, inline or in sets, merged into one set (or one inline
     * element). For allow rules that share their ports, whose union this is.
     */
    String union(List<String> peerExpressions, Direction direction) {
        String field = field(direction);
        List<String> elements = peerElements(peerExpressions, direction);
        return elements.size() == 1 ? field + " " + elements.getFirst()
                : field + " @" + sets.set(SetBook.Kind.PEER, elements);
    }

    /**
     * The allowed (peer, port) pairs of several single-protocol numbered port expressions, each with the peers
     * allowed on it, as one rule over a concatenated set: the first packet of a new flow then costs one lookup
     * where it walked a rule per port expression. Empty when an expression is not of that form.
     */
    Optional<String> pairs(Protocol protocol, Map<String, List<String>> peersByPort, Direction direction) {
        List<String> elements = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : peersByPort.entrySet()) {
            Optional<List<String>> ports = numberedPorts(e.getKey(), protocol);
            if (ports.isEmpty()) {
                return Optional.empty();
            }
            for (String peer : peerElements(e.getValue(), direction)) {
                ports.get().forEach(port -> elements.add(peer + " . " + port));
            }
        }
        return Optional.of("meta l4proto " + proto(protocol) + " " + field(direction) + " . th dport @"
                + sets.set(SetBook.Kind.PEER_PORT, elements));
    }

    /** The ports of "meta l4proto P th dport X" for this protocol (X one port, a range or a set); else empty. */
    Optional<List<String>> numberedPorts(String portExpression, Protocol protocol) {
        String head = "meta l4proto " + proto(protocol) + " th dport ";
        if (!portExpression.startsWith(head)) {
            return Optional.empty();
        }
        String operand = portExpression.substring(head.length());
        return Optional.of(operand.startsWith("@") ? List.copyOf(sets.elementsOf(operand.substring(1)))
                : List.of(operand));
    }

    private List<String> peerElements(List<String> peerExpressions, Direction direction) {
        String field = field(direction);
        Intervals all = new Intervals();
        for (String expression : peerExpressions) {
            if (!expression.startsWith(field + " ")) {
                throw new IllegalArgumentException("not a peer expression of " + field + ": " + expression);
            }
            String operand = expression.substring(field.length() + 1);
            if (operand.startsWith("@")) {
                sets.elementsOf(operand.substring(1)).forEach(all::addElement);
            } else {
                all.addElement(operand);
            }
        }
        return all.elements();
    }

    private static String field(Direction direction) {
        return direction == Direction.EGRESS ? "ip daddr" : "ip saddr";
    }

    /**
     * The port expressions matching any of {@code clauses} (one rule's, or the union of several rules'), one
     * per nft rule to emit: [""] when there is no clause (all ports), empty when the clauses can match nothing
     * (a named port no destination pod has).
     *
     * @param destinations the pods that can be the destination: the local subjects for ingress, every pod
     *                     for egress
     */
    List<String> ports(List<PortMatcher> clauses, BitSet destinations) {
        if (clauses.isEmpty()) {
            return List.of("");
        }
        Map<Protocol, Intervals> ranges = new EnumMap<>(Protocol.class);
        TreeSet<String> named = new TreeSet<>();
        for (PortMatcher matcher : clauses) {
            switch (matcher) {
                // port ranges reuse the interval merging: ports are small non-negative numbers too
                case PortMatcher.Range r -> ranges.computeIfAbsent(r.protocol(), p -> new Intervals())
                        .addRange(r.from(), r.to());
                case PortMatcher.Named n -> resolveNamed(n, destinations, named);
            }
        }
        List<String> out = new ArrayList<>();
        if (ranges.size() == 1) {
            // one protocol (the common case): a plain port match, no concatenated interval set (the kernel's
            // pipapo, far costlier to create than the rbtree of single-field intervals) and no set at all for
            // one port or range
            Protocol protocol = ranges.keySet().iterator().next();
            List<String> elements = ranges.get(protocol).numberElements();
            out.add("meta l4proto " + proto(protocol) + " th dport "
                    + (elements.size() == 1 ? elements.getFirst() : "@" + sets.set(SetBook.Kind.SERVICE, elements)));
        } else if (!ranges.isEmpty()) {
            List<String> rangeElements = new ArrayList<>();
            ranges.forEach((protocol, rs) -> rs.numberElements().forEach(e -> rangeElements.add(proto(protocol) + " . " + e)));
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
