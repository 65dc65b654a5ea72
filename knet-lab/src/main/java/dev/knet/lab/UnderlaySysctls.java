package dev.knet.lab;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.Sysctls;

import java.util.List;

/**
 * Kernel parameters of the underlay namespace, the lab's "physical switch": its bridges
 * ({@code ul0}, and {@code podseg0} in bridge mode) do not hand the frames they forward to
 * netfilter. With the host's {@code br_netfilter} loaded that is on by default in every namespace,
 * so each frame crossing nodes ran this namespace's IPv4/IPv6/ARP hooks (skb extension, header
 * validation, hook traversal), which hold no rules here: a switch does not filter. The node
 * namespaces keep it: bridge mode enforces NetworkPolicy on {@code knbr0} through it (the node agent
 * turns it on there).
 */
final class UnderlaySysctls {

    static final List<String> BRIDGE_NETFILTER = List.of("net.bridge.bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables", "net.bridge.bridge-nf-call-arptables");

    private UnderlaySysctls() {
    }

    static void apply(Sysctls sysctls, String underlayNetns) {
        for (String key : BRIDGE_NETFILTER) {
            try {
                sysctls.set(underlayNetns, key, "0");
            } catch (DataplaneException e) {
                // br_netfilter is the host's choice (and modules cannot be loaded here): without it
                // the keys do not exist and no bridge hands frames to netfilter, nothing to turn off
                if (e.kind() != DataplaneException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
    }
}
