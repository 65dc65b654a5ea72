package dev.knet.policy;

import java.util.List;

/**
 * The outcome for one direction of one flow, and what decided it: the tier, the policy, rule and
 * peer that matched, the Admin policy that passed the decision on, or the policies isolating the
 * pod when nothing allowed the flow. Reason text is rendered from it only on demand.
 */
public record Decision(Direction direction, boolean allowed, Tier tier, CompiledPolicy policy, Rule rule,
                       PeerMatcher peer, CompiledPolicy passedBy, List<CompiledPolicy> isolating) {

    static Decision matched(Direction d, Tier tier, CompiledPolicy policy, Rule rule, PeerMatcher peer,
                            CompiledPolicy passedBy) {
        boolean allowed = rule.action() != Action.DENY;
        return new Decision(d, allowed, tier, policy, rule, peer, passedBy, List.of());
    }

    static Decision isolated(Direction d, List<CompiledPolicy> isolating, CompiledPolicy passedBy) {
        return new Decision(d, false, Tier.NETWORK_POLICY, null, null, null, passedBy, isolating);
    }

    static Decision byDefault(Direction d, CompiledPolicy passedBy) {
        return new Decision(d, true, Tier.DEFAULT, null, null, null, passedBy, List.of());
    }
}
