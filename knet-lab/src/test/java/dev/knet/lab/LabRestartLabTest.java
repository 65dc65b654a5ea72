package dev.knet.lab;

import dev.knet.cni.plugin.HostEndName;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Route;
import dev.knet.model.ResourceKinds;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A daemon restart keeps the pods: the control half (control plane, API, node agents) stops with
 * the namespaces kept, pods still reach each other while it is down, someone meddles (a node-level
 * entry and a pod's host-side wiring removed, a pod deleted from the store), and a start over the
 * same store adopts the lab: surviving pods keep their sandboxes and IPs, the meddling is repaired
 * and the deleted pod's sandbox and veth go.
 */
@Tag("lab")
class LabRestartLabTest {

    private static final Dataplane DP = Dataplane.real();

    /**
     * {@code nodeDrift} removes one node-level entry the lab programs and returns a check that it is
     * back; {@code podDrift} breaks a2's host-side wiring on node-1 (its /32 route, or in bridge mode
     * its place on knbr0).
     */
    record Row(String name, LabMode mode, boolean bgp, NodeDrift nodeDrift) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface NodeDrift {
        /** Removes the entry; the predicate tells whether it is there again. */
        Predicate<LabNames> apply(LabNames names, Map<String, String> podCidrs);
    }

    static Stream<Row> modes() {
        return Stream.of(
                new Row("bridge: node-2's knbr0 gateway address", LabMode.BRIDGE, false, (names, cidrs) -> {
                    String ns = names.node("node-2");
                    LinkAddress gw = LinkAddress.parse(CniConfLists.bridgeGateway(cidrs.get("node-2")) + "/16");
                    DP.links().deleteAddress(ns, LabNames.POD_BRIDGE, gw);
                    return n -> DP.links().addresses(ns, LabNames.POD_BRIDGE).stream().anyMatch(a -> a.sameAs(gw));
                }),
                new Row("routed: node-1's route to node-2's podCIDR", LabMode.ROUTED, false,
                        (names, cidrs) -> deleteRoute(names.node("node-1"), cidrs.get("node-2"))),
                new Row("routed+bgp: the route bird installed on node-1 (its kernel scan puts it back)",
                        LabMode.ROUTED, true, (names, cidrs) -> deleteRoute(names.node("node-1"), cidrs.get("node-2"))),
                new Row("vxlan: node-1's overlay route to node-2", LabMode.VXLAN, false,
                        (names, cidrs) -> deleteRoute(names.node("node-1"), cidrs.get("node-2"))),
                new Row("cloud: the VPC router's route to node-2", LabMode.CLOUD, false,
                        (names, cidrs) -> deleteRoute(names.underlay(), cidrs.get("node-2"))));
    }

    private static Predicate<LabNames> deleteRoute(String ns, String cidr) {
        Route route = DP.routes().list(ns).stream().filter(r -> r.dst().equals(cidr)).findFirst().orElseThrow();
        DP.routes().delete(ns, route);
        return n -> DP.routes().list(ns).stream().anyMatch(r -> r.dst().equals(cidr));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void restartAdoptsPodsAndRepairsDrift(Row row, @TempDir Path state) throws Exception {
        LabHostAssumptions.assumeLab();
        if (row.bgp()) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/bird")),
                    "BGP lab test skipped: bird2 (/usr/sbin/bird) is not installed");
        }
        long t0 = System.nanoTime();
        String cluster = LabHostAssumptions.uniqueCluster();
        try (PodLab lab = PodLab.start(new LabOptions(cluster, 2, row.mode(), row.bgp()), state)) {
            LabNames names = lab.names();
            String node1 = names.node("node-1");
            String node2 = names.node("node-2");
            lab.create(PodLab.agnhost("a1", "node-1"), PodLab.agnhost("a2", "node-1"),
                    PodLab.agnhost("b1", "node-2"), PodLab.agnhost("b2", "node-2"));
            Map<String, Pod> before = lab.awaitRunning(Duration.ofSeconds(60), "a1", "a2", "b1", "b2");
            Pod a1 = before.get("a1");
            Pod a2 = before.get("a2");
            Pod b1 = before.get("b1");
            Pod b2 = before.get("b2");
            int a1Veth = hostEnd(node1, a1).index();
            int b1Veth = hostEnd(node2, b1).index();
            Map<String, String> cidrs = NodePodCidrs.read(lab.store);

            lab.stopKeepingNetwork();
            assertThat(NetProbe.reachable(PodLab.netns(a1), PodLab.ip(b1)))
                    .as("a1 -> b1 across nodes while the daemon is down").isTrue();

            Predicate<LabNames> nodeEntryBack = row.nodeDrift().apply(names, cidrs);
            String a2HostEnd = hostEnd(node1, a2).name();
            Predicate<LabNames> a2WiringBack = breakWiring(row.mode(), node1, a2HostEnd, PodLab.ip(a2));
            lab.store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", "b2",
                    Mutation.Grace.IMMEDIATE)));
            assertThat(nodeEntryBack.test(names)).as("the node entry is gone before the restart").isFalse();
            assertThat(a2WiringBack.test(names)).as("a2's wiring is broken before the restart").isFalse();

            long restart = System.nanoTime();
            lab.startAgain();
            assertThat(lab.lab().adoption()).isInstanceOf(LabAdoption.Adopt.class);
            Map<String, Pod> after = lab.awaitRunning(Duration.ofSeconds(60), "a1", "a2", "b1");
            for (String name : List.of("a1", "a2", "b1")) {
                assertThat(PodLab.ip(after.get(name))).as("%s keeps its IP", name)
                        .isEqualTo(PodLab.ip(before.get(name)));
            }
            assertThat(hostEnd(node1, a1).index()).as("a1's veth was adopted, not re-created").isEqualTo(a1Veth);
            assertThat(hostEnd(node2, b1).index()).as("b1's veth was adopted, not re-created").isEqualTo(b1Veth);
            await("drift repaired").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodeEntryBack.test(names) && a2WiringBack.test(names));
            await("b2's sandbox removed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !DP.netns().exists(PodLab.netns(b2))
                            && DP.links().find(node2, HostEndName.of(b2.getMetadata().getUid(), "eth0")).isEmpty());
            PodNetworkLabTest.awaitBody("a1 -> b1 after the restart", PodLab.netns(a1),
                    PodNetworkLabTest.url(PodLab.ip(b1), "clientip"), PodLab.ip(a1) + ":");
            PodNetworkLabTest.awaitBody("b1 -> a2 after the restart", PodLab.netns(b1),
                    PodNetworkLabTest.url(PodLab.ip(a2), "clientip"), PodLab.ip(b1) + ":");
            System.out.printf("LabRestartLabTest %s: first start %.1f s, restart to repaired %.1f s%n",
                    row.name(), (restart - t0) / 1e9, (System.nanoTime() - restart) / 1e9);
        }
        assertThat(DP.netns().list()).noneMatch(ns -> ns.startsWith("knet-" + cluster + "-"));
    }

    private static Link hostEnd(String nodeNetns, Pod pod) {
        return DP.links().find(nodeNetns, HostEndName.of(pod.getMetadata().getUid(), "eth0")).orElseThrow();
    }

    /** Bridge mode: the pod's veth leaves knbr0; the routed modes: the pod's /32 route goes. */
    private static Predicate<LabNames> breakWiring(LabMode mode, String node, String hostEnd, String podIp) {
        if (mode == LabMode.BRIDGE) {
            NetnsExec.run(node, "ip", "link", "set", hostEnd, "nomaster");
            return n -> DP.links().find(node, hostEnd).map(l -> LabNames.POD_BRIDGE.equals(l.master())).orElse(false);
        }
        DP.routes().delete(node, Route.to(podIp + "/32").dev(hostEnd));
        return n -> DP.routes().list(node).stream().anyMatch(r -> r.dst().equals(podIp + "/32"));
    }
}
