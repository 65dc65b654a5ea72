package dev.knet.policy;

import java.util.List;

/**
 * Decides one direction of one flow at one pod, tier by tier: Admin ClusterNetworkPolicies (first
 * matching rule by priority; Pass skips the rest of the tier), NetworkPolicies (if any isolates
 * the pod in this direction, the union of their rules is the allow list), Baseline
 * ClusterNetworkPolicies, and finally the Kubernetes default, allow.
 */
public final class DirectionEvaluator {

    private final PolicyIndex index;
    private final AtomTable atoms;
    private final PodUniverse universe;

    public DirectionEvaluator(PolicyIndex index) {
        this.index = index;
        this.atoms = index.atoms();
        this.universe = index.universe();
    }

    /**
     * @param subject the pod the direction is evaluated at (destination for ingress, source for egress)
     * @param peerPod the pod on the other side, or -1 for an address outside the cluster
     * @param peerIp  the other side's address (may be null for a pod without one)
     */
    public Decision decide(Direction direction, int subject, int peerPod, byte[] peerIp, int port, Protocol protocol) {
        int destPod = direction == Direction.INGRESS ? subject : peerPod;
        CompiledPolicy passedBy = null;
        admin:
        for (CompiledPolicy policy : index.applied(subject, Tier.ADMIN, direction)) {
            for (Rule rule : policy.rules(direction)) {
                PeerMatcher peer = matchingPeer(rule, peerPod, peerIp);
                if (peer != null && portMatches(rule, destPod, port, protocol)) {
                    if (rule.action() == Action.PASS) {
                        passedBy = policy;
                        break admin;
                    }
                    return Decision.matched(direction, Tier.ADMIN, policy, rule, peer, null);
                }
            }
        }
        List<CompiledPolicy> isolating = index.applied(subject, Tier.NETWORK_POLICY, direction);
        if (!isolating.isEmpty()) {
            for (CompiledPolicy policy : isolating) {
                for (Rule rule : policy.rules(direction)) {
                    PeerMatcher peer = matchingPeer(rule, peerPod, peerIp);
                    if (peer != null && portMatches(rule, destPod, port, protocol)) {
                        return Decision.matched(direction, Tier.NETWORK_POLICY, policy, rule, peer, passedBy);
                    }
                }
            }
            return Decision.isolated(direction, isolating, passedBy);
        }
        for (CompiledPolicy policy : index.applied(subject, Tier.BASELINE, direction)) {
            for (Rule rule : policy.rules(direction)) {
                PeerMatcher peer = matchingPeer(rule, peerPod, peerIp);
                if (peer != null && portMatches(rule, destPod, port, protocol)) {
                    if (rule.action() == Action.PASS) {
                        return Decision.byDefault(direction, policy);
                    }
                    return Decision.matched(direction, Tier.BASELINE, policy, rule, peer, passedBy);
                }
            }
        }
        return Decision.byDefault(direction, passedBy);
    }

    private static final PeerMatcher ANY_PEER = new PeerMatcher.Everything("any peer");

    /** The first peer of the rule matching, ANY_PEER for a rule without peers, or null. */
    private PeerMatcher matchingPeer(Rule rule, int peerPod, byte[] peerIp) {
        if (rule.allPeers()) {
            return ANY_PEER;
        }
        for (PeerMatcher peer : rule.peers()) {
            boolean match = switch (peer) {
                case PeerMatcher.Pods pods -> peerPod >= 0 && atoms.contains(pods.atom(), peerPod);
                case PeerMatcher.Block block -> peerPod >= 0 ? atoms.contains(block.atom(), peerPod)
                        : peerIp != null && block.containsIp(peerIp);
                case PeerMatcher.Everything everything -> true;
            };
            if (match) {
                return peer;
            }
        }
        return null;
    }

    private boolean portMatches(Rule rule, int destPod, int port, Protocol protocol) {
        if (rule.ports().isEmpty()) {
            return true;
        }
        for (PortMatcher matcher : rule.ports()) {
            boolean match = switch (matcher) {
                case PortMatcher.Range r -> r.protocol() == protocol && port >= r.from() && port <= r.to();
                case PortMatcher.Named n -> (n.protocol() == null || n.protocol() == protocol)
                        && destPod >= 0 && resolves(universe.pod(destPod), n.name(), port, protocol);
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean resolves(PodView pod, String name, int port, Protocol protocol) {
        for (ContainerPortView cp : pod.ports()) {
            if (name.equals(cp.name()) && cp.port() == port && cp.protocol() == protocol) {
                return true;
            }
        }
        return false;
    }
}
