package dev.knet.cni.plugin;

import dev.knet.dataplane.Sysctls;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node-wide settings pods depend on, applied once per node namespace for the life of the plugin
 * instance (the agent's is long-lived, so the sysctl process is paid once, not per pod).
 */
final class NodeSetup {

    private final Sysctls sysctls;
    private final Set<String> forwarding = ConcurrentHashMap.newKeySet();

    NodeSetup(Sysctls sysctls) {
        this.sysctls = sysctls;
    }

    void enableForwarding(String nodeNetns) {
        if (!forwarding.contains(nodeNetns)) {
            sysctls.set(nodeNetns, "net.ipv4.ip_forward", "1");
            forwarding.add(nodeNetns);
        }
    }
}
