package dev.knet.policy;

/** Evaluation tiers in order: Admin ClusterNetworkPolicy, NetworkPolicy, Baseline, then the default. */
public enum Tier {
    ADMIN, NETWORK_POLICY, BASELINE, DEFAULT;

    public String label() {
        return switch (this) {
            case ADMIN -> "Admin";
            case NETWORK_POLICY -> "NetworkPolicy";
            case BASELINE -> "Baseline";
            case DEFAULT -> "default";
        };
    }
}
