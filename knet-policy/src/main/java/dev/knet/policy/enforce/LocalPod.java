package dev.knet.policy.enforce;

import java.util.Objects;

/**
 * A pod running on the node being enforced: its "namespace/name" key and the name of its host-side veth
 * (the interface the node sees the pod's packets arrive on and leaves the pod's packets through).
 */
public record LocalPod(String key, String interfaceName) {
    public LocalPod {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (!interfaceName.matches("[A-Za-z0-9_.@-]{1,15}")) {
            throw new IllegalArgumentException("invalid interface name \"" + interfaceName + "\" for pod " + key);
        }
    }
}
