package dev.knet.policy;

/** Identifies a NetworkPolicy (namespace/name) or a ClusterNetworkPolicy (name only). */
public record PolicyRef(Kind kind, String namespace, String name) {

    public enum Kind { NETWORK_POLICY, CLUSTER_NETWORK_POLICY }

    public static PolicyRef networkPolicy(String namespace, String name) {
        return new PolicyRef(Kind.NETWORK_POLICY, namespace, name);
    }

    public static PolicyRef clusterPolicy(String name) {
        return new PolicyRef(Kind.CLUSTER_NETWORK_POLICY, "", name);
    }

    @Override
    public String toString() {
        return kind == Kind.NETWORK_POLICY ? namespace + "/" + name : name;
    }
}
