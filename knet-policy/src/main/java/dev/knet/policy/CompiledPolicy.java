package dev.knet.policy;

import java.util.List;

/**
 * A NetworkPolicy or ClusterNetworkPolicy reduced to atoms and matchers. {@code subjectAtom} marks
 * the pods it applies to; {@code atoms} lists every atom it holds so they can be released.
 */
public record CompiledPolicy(PolicyRef ref, Tier tier, int priority, int subjectAtom,
                             boolean isolatesIngress, boolean isolatesEgress,
                             List<Rule> ingressRules, List<Rule> egressRules, List<Integer> atoms) {

    public CompiledPolicy {
        ingressRules = List.copyOf(ingressRules);
        egressRules = List.copyOf(egressRules);
        atoms = List.copyOf(atoms);
    }

    public boolean applies(Direction direction) {
        return direction == Direction.INGRESS ? isolatesIngress : isolatesEgress;
    }

    public List<Rule> rules(Direction direction) {
        return direction == Direction.INGRESS ? ingressRules : egressRules;
    }

    /** "NetworkPolicy x/allow-web" or "ClusterNetworkPolicy deny-all (Admin, priority 10)". */
    public String display() {
        return switch (ref.kind()) {
            case NETWORK_POLICY -> "NetworkPolicy " + ref;
            case CLUSTER_NETWORK_POLICY -> "ClusterNetworkPolicy " + ref + " (" + tier.label() + ", priority " + priority + ")";
        };
    }
}
