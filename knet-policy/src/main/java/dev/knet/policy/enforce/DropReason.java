package dev.knet.policy.enforce;

import dev.knet.policy.Direction;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Tier;

/**
 * What a logged drop rule stands for. {@code ruleIndex} is the denying rule of an Admin or Baseline
 * ClusterNetworkPolicy, or {@link #ISOLATION} (with a null policy) for a pod some NetworkPolicy isolates with no
 * rule allowing the packet: the model names the isolating policies when the drop is explained. {@code policyDisplay} is the model's display name, kept so a drop logged before the policy was
 * deleted can still be named.
 */
public record DropReason(int id, Tier tier, Direction direction, PolicyRef policy, int ruleIndex, String policyDisplay,
                         String ruleLabel) {

    public static final int ISOLATION = -1;

    /** The key a reason is registered under; equal keys keep their id across syncs. */
    record Key(PolicyRef policy, Direction direction, int ruleIndex) {
    }

    Key key() {
        return new Key(policy, direction, ruleIndex);
    }

    /** The text used when the model can no longer say more (the pod or policy is gone). */
    public String staticText(String subject, String peer) {
        String dir = direction.word();
        if (ruleIndex == ISOLATION) {
            return subject + " is isolated for " + dir + " by a NetworkPolicy, and no rule allows " + peer;
        }
        return policyDisplay + " denies " + dir + " " + (direction == Direction.INGRESS
                ? "to " + subject + " from " + peer : "from " + subject + " to " + peer) + " (" + ruleLabel + ")";
    }
}
