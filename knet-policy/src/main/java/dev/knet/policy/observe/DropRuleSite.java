package dev.knet.policy.observe;

import dev.knet.policy.Direction;
import dev.knet.policy.Tier;

import java.util.Optional;

/**
 * Where a drop rule sits: its chain, and the direction and tier the chain's name stands for
 * ({@code ingress-np-0}: ingress, NetworkPolicy; see {@link dev.knet.policy.enforce.PolicyLayout#tierChain}).
 */
public record DropRuleSite(int id, String chain, Optional<Direction> direction, Optional<Tier> tier) {

    static DropRuleSite of(int id, String chain) {
        String[] parts = chain.split("-");
        Optional<Direction> direction = parts.length < 2 ? Optional.empty() : switch (parts[0]) {
            case "ingress" -> Optional.of(Direction.INGRESS);
            case "egress" -> Optional.of(Direction.EGRESS);
            default -> Optional.empty();
        };
        Optional<Tier> tier = parts.length < 2 ? Optional.empty() : switch (parts[1]) {
            case "admin" -> Optional.of(Tier.ADMIN);
            case "np" -> Optional.of(Tier.NETWORK_POLICY);
            case "baseline" -> Optional.of(Tier.BASELINE);
            default -> Optional.empty();
        };
        return new DropRuleSite(id, chain, direction, tier);
    }

    /** "ingress NetworkPolicy", or the chain's name when it is not a tier chain. */
    public String describe() {
        if (direction.isPresent() && tier.isPresent()) {
            return direction.get().word() + " " + tier.get().label();
        }
        return "chain " + chain;
    }
}
