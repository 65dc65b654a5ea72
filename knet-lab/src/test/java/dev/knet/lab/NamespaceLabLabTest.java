package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.netns.NetnsThread;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Builds a two-node lab per mode in real namespaces and checks the paths that matter: node to node
 * over the underlay, the external host to a node, node to the other node's pod range over the
 * mode's own transport, and that the external host has no way into the pod range.
 */
@Tag("lab")
class NamespaceLabLabTest {

    private static final Map<String, String> POD_CIDRS = Map.of("node-1", "10.244.1.0/24", "node-2", "10.244.2.0/24");

    /**
     * {@code podTarget}: an address in node-2's podCIDR that node-1 must reach through the mode's
     * transport; {@code onLo}: whether the test puts it on node-2's lo (a stand-in pod) first.
     */
    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("bridge: node-2's knbr0 gateway, by ARP over the pod segment", LabMode.BRIDGE, false,
                        "10.244.2.1", false),
                Arguments.of("routed: host-gw route to node-2", LabMode.ROUTED, false, "10.244.2.1", true),
                Arguments.of("routed with BGP: the route bird learned from node-2", LabMode.ROUTED, true,
                        "10.244.2.1", true),
                Arguments.of("vxlan: node-2's VTEP through the overlay", LabMode.VXLAN, false, "10.244.2.0", false),
                Arguments.of("cloud: through the VPC router", LabMode.CLOUD, false, "10.244.2.1", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void twoNodeLab(String name, LabMode mode, boolean bgp, String podTarget, boolean onLo,
                    @TempDir Path state) throws Exception {
        LabHostAssumptions.assumeLab();
        String cluster = LabHostAssumptions.uniqueCluster();
        Dataplane dp = Dataplane.real();
        NamespaceLab lab = NamespaceLab.real(new LabOptions(cluster, 2, mode, bgp), state);
        LabNames names = lab.names();
        if (bgp) {
            org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/sbin/bird")),
                    "BGP lab test skipped: bird2 is not installed");
        }
        try {
            ClusterConfig config = ClusterConfig.withNodes(cluster, 2);
            lab.buildNetwork(config);
            lab.controllers(config).forEach(c -> c.reconcile(POD_CIDRS));
            if (onLo) {
                dp.links().addAddress(names.node("node-2"), "lo", LinkAddress.parse(podTarget + "/32"));
            }

            assertReachable(names.node("node-1"), "198.18.0.12");
            assertReachable(names.external(), "198.18.0.11");
            assertReachable(names.node("node-1"), podTarget);
            assertThat(reachable(names.external(), podTarget)).as("the external host has no pod routes").isFalse();
            assertSwitchDoesNotFilter(dp, names);
        } finally {
            lab.close();
        }
        assertThat(dp.netns().list()).noneMatch(ns -> ns.startsWith(names.prefix()));
    }

    /** Where the host has br_netfilter, the underlay's bridges skip netfilter; the nodes keep the default. */
    private static void assertSwitchDoesNotFilter(Dataplane dp, LabNames names) {
        String key = UnderlaySysctls.BRIDGE_NETFILTER.getFirst();
        String node;
        try {
            node = dp.sysctls().get(names.node("node-1"), key);
        } catch (DataplaneException e) {
            return; // no br_netfilter on this host: no bridge hands frames to netfilter anywhere
        }
        assertThat(node).as("left to the node agent").isEqualTo("1");
        for (String k : UnderlaySysctls.BRIDGE_NETFILTER) {
            assertThat(dp.sysctls().get(names.underlay(), k)).as(k).isEqualTo("0");
        }
    }

    private static void assertReachable(String netns, String ip) {
        await(netns + " -> " + ip).atMost(Duration.ofSeconds(15)).until(() -> reachable(netns, ip));
    }

    static boolean reachable(String netns, String ip) throws Exception {
        return NetnsThread.run(netns, () -> {
            try {
                return InetAddress.getByName(ip).isReachable(1000);
            } catch (IOException e) {
                return false; // "network unreachable" is an answer too
            }
        });
    }
}
