package dev.knet.policy.observe;

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
 * Real drops on a lab node (a node namespace with a bridge, pods x/a and x/b on it, x default-deny for ingress):
 * a TCP connect from a to b dies in the policy's drop rule, and the NFLOG reader in the node namespace, then the
 * whole {@code knet observe} command, report that packet. Everything lives in namespaces this class creates and
 * removes, also when a test fails.
 */
@Tag("lab")
class ObserveLabTest {

    private static final String A = "10.251.0.2";
    private static final String B = "10.251.0.3";
    private static final Map<String, String> IPS = Map.of("x/a", A, "x/b", B);
    private static final String OBJECTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
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
            """.formatted(A, B);
    private static final int GROUP = 100; // LabNode's enforcer logs to the default group

    private static LabNode node;
    private static List<HasMetadata> objects;

    @BeforeAll
    static void buildNode() throws Exception {
        String why = LabProcesses.labUnavailableReason();
        assumeTrue(why == null, "lab test skipped: " + why);
        String prefix = "knet-obs" + UUID.randomUUID().toString().substring(0, 6);
        node = LabNode.build(prefix, List.of("x/a", "x/b"), IPS::get, List.of(80), List.of(Protocol.TCP));
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
        ObserveCommand command = new ObserveCommand(() -> objects, () -> List.of(node.nodeNetns()),
                NflogOpener.kernel(), ObserveLabTest::listPolicyTable, InstantSource.system());
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
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

    /** A connect from the pod's namespace; false when it does not complete within a short wait. */
    private static boolean connect(String netns, String ip, int port) throws Exception {
        return NetnsThread.run(netns, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 300);
                return true;
            } catch (java.io.IOException e) {
                return false;
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
