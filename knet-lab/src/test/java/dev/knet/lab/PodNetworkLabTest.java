package dev.knet.lab;

import dev.knet.cni.plugin.HostEndName;
import dev.knet.dataplane.Dataplane;
import dev.knet.model.ResourceKinds;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pod network of each mode, with real node agents and agnhost pods on two nodes: pod to pod on
 * one node and across nodes, node to pod, pod to node, source addresses kept (no NAT), full-MTU
 * paths carrying 100 MB, and a deleted pod giving back its address and its veth. One lab per mode
 * serves every check of that mode.
 */
@Tag("lab")
class PodNetworkLabTest {

    private static final long TRANSFER_BYTES = 100L * 1024 * 1024;
    private static final int UDP_PORT = 8081;
    private static final Duration START = Duration.ofSeconds(60);

    record Row(String name, LabMode mode, boolean bgp) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> modes() {
        return Stream.of(
                new Row("bridge", LabMode.BRIDGE, false),
                new Row("routed", LabMode.ROUTED, false),
                new Row("routed+bgp", LabMode.ROUTED, true),
                new Row("vxlan", LabMode.VXLAN, false),
                new Row("cloud", LabMode.CLOUD, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void podNetwork(Row row, @TempDir Path state) throws Exception {
        LabHostAssumptions.assumeLab();
        if (row.bgp()) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/bird")),
                    "BGP lab test skipped: bird2 (/usr/sbin/bird) is not installed");
        }
        long t0 = System.nanoTime();
        String cluster = LabHostAssumptions.uniqueCluster();
        try (PodLab lab = PodLab.start(new LabOptions(cluster, 2, row.mode(), row.bgp()), state)) {
            LabNames names = lab.names();
            lab.create(PodLab.agnhost("a1", "node-1"), PodLab.agnhost("a2", "node-1"), PodLab.agnhost("b1", "node-2"));
            Map<String, Pod> pods = lab.awaitRunning(START, "a1", "a2", "b1");
            long started = System.nanoTime();
            String a1 = PodLab.netns(pods.get("a1"));
            String b1 = PodLab.netns(pods.get("b1"));
            String a1Ip = PodLab.ip(pods.get("a1"));
            String a2Ip = PodLab.ip(pods.get("a2"));
            String b1Ip = PodLab.ip(pods.get("b1"));

            // pod to pod, on one node and across nodes: the server sees the caller's own pod IP
            awaitBody("a1 -> a2 (same node)", a1, url(a2Ip, "clientip"), a1Ip + ":");
            awaitBody("a1 -> b1 (across nodes)", a1, url(b1Ip, "clientip"), a1Ip + ":");
            awaitBody("b1 -> a1 (across nodes)", b1, url(a1Ip, "clientip"), b1Ip + ":");

            // node to pod, both its own and the other node's
            awaitBody("node-1 -> a1", names.node("node-1"), url(a1Ip, "hostname"), "a1");
            awaitBody("node-1 -> b1", names.node("node-1"), url(b1Ip, "hostname"), "b1");

            // pod to node: the underlay addresses of both nodes
            assertThat(NetProbe.reachable(a1, "198.18.0.11")).as("a1 -> node-1 underlay IP").isTrue();
            assertThat(NetProbe.reachable(a1, "198.18.0.12")).as("a1 -> node-2 underlay IP").isTrue();
            assertThat(NetProbe.reachable(b1, "198.18.0.11")).as("b1 -> node-1 underlay IP").isTrue();

            // full MTU: the pod's eth0 has the mode's MTU, and a packet of exactly that size crosses
            int mtu = row.mode() == LabMode.VXLAN ? LabNetwork.UNDERLAY_MTU - LabNetwork.VXLAN_OVERHEAD
                    : LabNetwork.UNDERLAY_MTU;
            assertThat(NetnsExec.run(a1, "cat", "/sys/class/net/eth0/mtu").out().strip())
                    .as("a1's eth0 MTU").isEqualTo(Integer.toString(mtu));
            assertThat(NetProbe.dfEcho(a1, b1Ip, UDP_PORT, mtu - 28)).as("DF datagram of MTU-28 bytes across nodes")
                    .isEqualTo(NetProbe.DfOutcome.ANSWERED);
            assertThat(NetProbe.dfEcho(a1, b1Ip, UDP_PORT, mtu - 27)).as("DF datagram one byte over the MTU")
                    .isEqualTo(NetProbe.DfOutcome.TOO_BIG_TO_SEND);

            TcpTransfer.Outcome transfer = TcpTransfer.send(a1, b1, b1Ip, 9500, TRANSFER_BYTES);
            assertThat(transfer.received()).as("bytes a1 sent to b1").isEqualTo(TRANSFER_BYTES);
            if (row.mode() == LabMode.VXLAN) {
                // the tunnel's own UDP packets skip conntrack on both nodes; the pod flow inside is tracked
                for (String node : List.of(names.node("node-1"), names.node("node-2"))) {
                    // (the listing's summary line comes on stderr, which run() folds into out)
                    assertThat(NetnsExec.run(node, "conntrack", "-L", "-p", "udp", "--orig-port-dst", "4789").out())
                            .as("tunnel packets tracked in %s", node).contains(": 0 flow entries have been shown")
                            .doesNotContain("dport=4789");
                    assertThat(NetnsExec.run(node, "conntrack", "-L", "-p", "tcp", "--orig-port-dst", "9500").out())
                            .as("the transfer's own flow in %s", node).contains("src=" + a1Ip);
                }
            }

            // deleting a pod removes its sandbox and host veth, and frees its address
            Pod a2 = pods.get("a2");
            String a2Veth = HostEndName.of(a2.getMetadata().getUid(), "eth0");
            String node1 = names.node("node-1");
            assertThat(Dataplane.real().links().find(node1, a2Veth)).as("a2's veth before delete").isPresent();
            lab.store.commit(java.util.List.of(new Mutation.Delete(ResourceKinds.POD, "default", "a2",
                    Mutation.Grace.GRACEFUL)));
            await("a2 gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> lab.pod("a2").isEmpty());
            assertThat(Dataplane.real().links().find(node1, a2Veth)).as("a2's veth after delete").isEmpty();
            assertThat(Dataplane.real().netns().exists(PodLab.netns(a2))).as("a2's sandbox").isFalse();
            // a new pod asking for a2's address gets it only if IPAM let it go
            lab.create(withIp(PodLab.agnhost("a3", "node-1"), a2Ip));
            Pod a3 = lab.awaitRunning(Duration.ofSeconds(30), "a3").get("a3");
            assertThat(PodLab.ip(a3)).as("a3 reuses a2's freed address").isEqualTo(a2Ip);
            awaitBody("b1 -> a3 at a2's old address", b1, url(a2Ip, "hostname"), "a3");

            System.out.printf("PodNetworkLabTest %s: lab and pods up %.1f s, checks %.1f s, 100 MB at %.0f Mbit/s%n",
                    row.name(), (started - t0) / 1e9, (System.nanoTime() - started) / 1e9,
                    transfer.mbitPerSecond());
        }
        assertThat(Dataplane.real().netns().list()).noneMatch(ns -> ns.startsWith("knet-" + cluster + "-"));
    }

    static String url(String ip, String path) {
        return "http://" + ip + ":" + PodLab.HTTP_PORT + "/" + path;
    }

    /** The first request may race the server's start or ARP; a few seconds of retries cover that. */
    static void awaitBody(String what, String netns, String url, String expectedPrefix) {
        await(what).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> NetnsExec.get(netns, url), body -> body.startsWith(expectedPrefix));
    }

    private static Pod withIp(Pod pod, String ip) {
        pod.setStatus(new PodStatusBuilder().withPodIP(ip).addNewPodIP(ip).build());
        return pod;
    }
}
