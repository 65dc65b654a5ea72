package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.netlink.ConntrackEvents;
import dev.knet.dataplane.netlink.NflogSocket;
import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.dataplane.nflog.IpProtocol;
import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.model.Manifests;
import dev.knet.policy.Protocol;
import dev.knet.policy.enforce.PolicyLayout;
import dev.knet.policy.lab.LabNode;
import dev.knet.policy.lab.LabProcesses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real verdicts on a lab node (a node namespace with a bridge, pods x/a, x/b and y/c on it, x default-deny for
 * ingress, y open): a TCP connect from a to b dies in the policy's drop rule, and the NFLOG reader in the node
 * namespace, then the whole {@code knet observe} command, report that packet; a connect from a to c is
 * forwarded, and conntrack's NEW event, then the command, report that connection. Everything lives in
 * namespaces this class creates and removes, also when a test fails.
 */
@Tag("lab")
class ObserveLabTest {

    private static final String A = "10.251.0.2";
    private static final String B = "10.251.0.3";
    private static final String C = "10.251.0.4";
    private static final Map<String, String> IPS = Map.of("x/a", A, "x/b", B, "y/c", C);
    private static final String OBJECTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: c, namespace: y, labels: {app: c}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: %s}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {app: a}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: %s}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {app: b}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: %s}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all-ingress, namespace: x}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            """.formatted(C, A, B);
    private static final int GROUP = 100; // LabNode's enforcer logs to the default group

    private static LabNode node;
    private static List<HasMetadata> objects;

    @BeforeAll
    static void buildNode() throws Exception {
        String why = LabProcesses.labUnavailableReason();
        assumeTrue(why == null, "lab test skipped: " + why);
        String prefix = "knet-obs" + UUID.randomUUID().toString().substring(0, 6);
        node = LabNode.build(prefix, List.of("x/a", "x/b", "y/c"), IPS::get, List.of(80), List.of(Protocol.TCP));
        objects = Manifests.parse(OBJECTS, "test");
        node.apply(objects);
    }

    @AfterAll
    static void removeNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theReaderReportsADroppedSynWithItsPrefixAndAddresses() {
        List<NflogPacket> seen = new CopyOnWriteArrayList<>();
        try (NflogSocket log = NflogSocket.open(node.nodeNetns(), GROUP)) {
            assertThatThrownBy(() -> NflogSocket.open(node.nodeNetns(), GROUP)).as("one reader per group")
                    .hasMessageContaining("is another reader listening to this group?");
            // each round sends a fresh SYN (the drop is silent, so the connect times out) and reads the log
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
                connect(node.netnsOf("x/a"), B, 80);
                seen.addAll(log.receive());
                return seen.stream().anyMatch(p -> p.dstIp().equals(B) && p.dstPort() == 80);
            });
        }
        NflogPacket syn = seen.stream().filter(p -> p.dstIp().equals(B) && p.dstPort() == 80).findFirst().orElseThrow();
        assertThat(syn.prefix()).matches("knet-drop:\\d+ ");
        assertThat(syn.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(syn.srcIp()).isEqualTo(A);
        assertThat(syn.srcPort()).isBetween(1, 65535);
    }

    @Test
    void observeExplainsTheDropWithThePolicy() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = observe(out, err);
        // every verdict (the default): conntrack is listened to as well, and the denied connect is still a drop
        CompletableFuture<Integer> observe = CompletableFuture.supplyAsync(
                () -> cli.execute("--count", "1", "--timeout", "60s", "-n", "x"));
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> {
            connect(node.netnsOf("x/a"), B, 80);
            return observe.isDone();
        });
        assertThat(observe.join()).as("exit; stderr: %s", err).isZero();
        assertThat(out.toString().strip())
                .contains(" DROPPED x/a:", " -> x/b:80/TCP ingress NetworkPolicy (knet-drop:")
                .contains("x/b is isolated for ingress by x/deny-all-ingress, and no rule allows x/a on TCP/80")
                .doesNotContain("disagree");
    }

    @Test
    void theConntrackReaderReportsAnAllowedConnectionWithItsTuples() {
        List<ConntrackFlow> seen = new CopyOnWriteArrayList<>();
        List<Integer> ports = new CopyOnWriteArrayList<>();
        try (ConntrackEvents events = ConntrackEvents.open(node.nodeNetns())) {
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
                ports.add(connect(node.netnsOf("x/a"), C, 80));
                seen.addAll(events.receive());
                return seen.stream().anyMatch(f -> f.original().dstIp().equals(C));
            });
        }
        ConntrackFlow flow = seen.stream().filter(f -> f.original().dstIp().equals(C)).findFirst().orElseThrow();
        assertThat(flow.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(flow.original().srcIp()).isEqualTo(A);
        assertThat(flow.original().dstPort()).isEqualTo(80);
        assertThat(ports).contains(flow.original().srcPort());
        assertThat(flow.destinationNatted()).isFalse();
        assertThat(flow.reply()).isEqualTo(new ConntrackFlow.Tuple(C, 80, A, flow.original().srcPort()));
    }

    @Test
    void observeShowsTheAllowedConnectionAsForwarded() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = observe(out, err);
        List<Integer> ports = new CopyOnWriteArrayList<>();
        // -n y: only a -> c passes the filter, so the one line is that flow's
        CompletableFuture<Integer> observe = CompletableFuture.supplyAsync(
                () -> cli.execute("--count", "1", "--timeout", "60s", "-n", "y"));
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> {
            ports.add(connect(node.netnsOf("x/a"), C, 80));
            return observe.isDone();
        });
        assertThat(observe.join()).as("exit; stderr: %s", err).isZero();
        String line = out.toString().strip();
        assertThat(line).contains(" FORWARDED x/a:", " -> y/c:80/TCP: allowed: ")
                .contains("y/c is not isolated for ingress")
                .doesNotContain("disagree");
        int port = Integer.parseInt(line.replaceAll(".* FORWARDED x/a:(\\d+) -> .*", "$1"));
        assertThat(ports).contains(port);
        assertThat(err.toString()).as("conntrack events are available on this kernel").isEmpty();
    }

    private static CommandLine observe(StringWriter out, StringWriter err) {
        ObserveCommand command = new ObserveCommand(() -> objects, () -> List.of(node.nodeNetns()),
                NflogOpener.kernel(), ConntrackOpener.kernel(), ObserveLabTest::listPolicyTable, InstantSource.system());
        return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    }

    /** A connect from the pod's namespace: the local port it used, or -1 when it did not complete within a short wait. */
    private static int connect(String netns, String ip, int port) throws Exception {
        return NetnsThread.run(netns, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 300);
                return s.getLocalPort();
            } catch (java.io.IOException e) {
                return -1;
            }
        });
    }

    private static String listPolicyTable(String netns) {
        try {
            return new NftCommand(netns).list(PolicyLayout.TABLE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
