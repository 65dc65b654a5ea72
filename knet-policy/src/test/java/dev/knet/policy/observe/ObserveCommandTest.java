package dev.knet.policy.observe;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.nflog.IpProtocol;
import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command over a fake drop log, fake conntrack events and a small cluster: x is default-deny for ingress
 * except that x/a takes TCP/8080 from namespace y (also through Service x/web, 10.96.0.10:80); y and z are open.
 */
class ObserveCommandTest {

    static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: z}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {app: a}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.244.1.5}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {app: b}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.244.2.7}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: c, namespace: y, labels: {app: c}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.244.3.9}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: d, namespace: z, labels: {app: d}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.244.4.4}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny, namespace: x}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: a-from-y, namespace: x}
            spec:
              podSelector: {matchLabels: {app: a}}
              policyTypes: [Ingress]
              ingress:
              - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                ports: [{protocol: TCP, port: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: x}
            spec:
              clusterIP: 10.96.0.10
              selector: {app: a}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: node1}
            status: {addresses: [{type: InternalIP, address: 172.18.0.11}]}
            """;

    /** What {@code nft list table inet knet-policy} shows for the drop rules, trimmed. */
    static final String RULESET = """
            table inet knet-policy {
            	chain ingress-np-0 {
            		counter packets 3 bytes 180 log prefix "knet-drop:3 " group 100 drop
            	}
            	chain egress-admin-1 {
            		ip daddr 10.244.3.9 counter packets 0 bytes 0 log prefix "knet-drop:7 " group 100 drop
            	}
            }
            """;

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static NflogPacket tcp(String prefix, String src, int srcPort, String dst, int dstPort) {
        return new NflogPacket(prefix, IpProtocol.TCP, src, srcPort, dst, dstPort, 3, 3);
    }

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    final Map<String, FakeNflogSource> logs = new HashMap<>();
    final Map<String, FakeConntrackSource> conntrack = new HashMap<>();
    /** Set: opening any node's conntrack events fails with this, as on a kernel without them. */
    RuntimeException noConntrack;

    /** Pods put on nodes ("ns/name" to node name) before a run; the cluster text leaves them unscheduled. */
    final Map<String, String> scheduled = new HashMap<>();

    Run run(List<String> nodes, String... args) {
        List<HasMetadata> objects = Manifests.parse(CLUSTER, "test");
        for (HasMetadata o : objects) {
            String node = scheduled.get(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
            if (node != null && o instanceof io.fabric8.kubernetes.api.model.Pod pod) {
                pod.getSpec().setNodeName(node);
            }
        }
        NflogOpener opener = (netns, group) -> {
            FakeNflogSource source = logs.get(netns);
            if (source == null) {
                throw new DataplaneException(DataplaneException.Kind.NOT_FOUND, "no namespace " + netns);
            }
            return source;
        };
        ConntrackOpener events = netns -> {
            if (noConntrack != null) {
                throw noConntrack;
            }
            return conntrack.computeIfAbsent(netns, n -> new FakeConntrackSource());
        };
        ObserveCommand command = new ObserveCommand(() -> objects, () -> nodes, opener, events, netns -> RULESET,
                InstantSource.fixed(NOW));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    FakeNflogSource node(String name) {
        return logs.computeIfAbsent(name, n -> new FakeNflogSource());
    }

    FakeConntrackSource flows(String name) {
        return conntrack.computeIfAbsent(name, n -> new FakeConntrackSource());
    }

    @Test
    void aDropNamesThePodsThePolicyAndTheRulesTierAndDirection() {
        node("knet-t-node1").log(tcp("knet-drop:3 ", "10.244.3.9", 40000, "10.244.2.7", 80));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).singleElement().asString()
                .contains("knet-t-node1 DROPPED y/c:40000 -> x/b:80/TCP ingress NetworkPolicy (knet-drop:3): denied: ")
                .contains("x/b is isolated for ingress by x/default-deny, and no rule allows y/c on TCP/80")
                .doesNotContain("disagree");
        assertThat(logs.get("knet-t-node1").closed()).as("the listener closes its source").isTrue();
    }

    @Test
    void aDropTheModelWouldAllowIsFlagged() {
        // y has no policy: the model allows x/a -> y/c, yet a rule dropped it
        node("knet-t-node1").log(tcp("knet-drop:7 ", "10.244.1.5", 40001, "10.244.3.9", 8080));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.lines()).singleElement().asString()
                .contains("DROPPED x/a:40001 -> y/c:8080/TCP egress Admin (knet-drop:7): ")
                .contains("model says allowed: enforcement and model disagree (allowed: ");
    }

    @Test
    void anAddressOutsideTheClusterAndAnUnknownRuleAreShownAsTheyAre() {
        node("knet-t-node1").log(tcp("knet-drop:99 ", "192.0.2.1", 5000, "10.244.2.7", 443));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.lines()).singleElement().asString()
                .contains("DROPPED 192.0.2.1:5000 -> x/b:443/TCP by knet-drop:99: denied: ")
                .contains("x/default-deny");
    }

    @Test
    void icmpIsShownWithoutAModelVerdict() {
        node("knet-t-node1").log(new NflogPacket("knet-drop:3 ", IpProtocol.ICMP, "10.244.3.9", -1, "10.244.2.7", -1, 0, 0));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.lines()).singleElement().asString()
                .contains("DROPPED y/c -> x/b/ICMP ingress NetworkPolicy (knet-drop:3): the model does not judge ICMP");
    }

    @Test
    void theNamespaceFilterKeepsFlowsWithEitherEndInIt() {
        node("knet-t-node1").log(
                tcp("knet-drop:7 ", "10.244.4.4", 1, "10.244.3.9", 80),   // z -> y
                tcp("knet-drop:3 ", "10.244.3.9", 2, "10.244.2.7", 80),   // y -> x
                tcp("knet-drop:3 ", "10.244.1.5", 3, "10.244.2.7", 80));  // x -> x

        Run r = run(List.of("knet-t-node1"), "-n", "x", "--count", "2");

        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).contains("y/c:2 -> x/b:80/TCP");
        assertThat(r.lines().get(1)).contains("x/a:3 -> x/b:80/TCP");
    }

    @Test
    void countStopsTheStreamAcrossNodes() {
        node("knet-t-node1").log(tcp("knet-drop:3 ", "10.244.3.9", 1, "10.244.2.7", 80),
                tcp("knet-drop:3 ", "10.244.3.9", 2, "10.244.2.7", 80));
        node("knet-t-node2").log(tcp("knet-drop:3 ", "10.244.4.4", 3, "10.244.1.5", 80));

        Run r = run(List.of("knet-t-node1", "knet-t-node2"), "--count", "2");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains(" DROPPED "));
        assertThat(logs.values()).allSatisfy(s -> assertThat(s.closed()).isTrue());
    }

    @Test
    void theTimeLimitEndsAQuietStream() {
        node("knet-t-node1");

        assertThat(run(List.of("knet-t-node1"), "--timeout", "300ms")).isEqualTo(new Run(0, "", ""));
        assertThat(run(List.of("knet-t-node1"), "--seconds", "1")).isEqualTo(new Run(0, "", ""));
    }

    @Test
    void jsonIsOneObjectPerLine() throws Exception {
        node("knet-t-node1").log(tcp("knet-drop:3 ", "10.244.3.9", 40000, "10.244.2.7", 80),
                tcp("knet-drop:99 ", "192.0.2.1", 5000, "10.244.3.9", 443));

        Run r = run(List.of("knet-t-node1"), "-o", "json", "--count", "2");

        assertThat(r.lines()).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(r.lines().get(0));
        assertThat(first.get("time").asString()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(first.get("node").asString()).isEqualTo("knet-t-node1");
        assertThat(first.get("verdict").asString()).isEqualTo("DROPPED");
        assertThat(first.get("source").toString())
                .isEqualTo("{\"ip\":\"10.244.3.9\",\"port\":40000,\"namespace\":\"y\",\"pod\":\"c\"}");
        assertThat(first.get("destination").get("pod").asString()).isEqualTo("b");
        assertThat(first.get("protocol").asString()).isEqualTo("TCP");
        assertThat(first.get("dropRule").toString()).isEqualTo(
                "{\"prefix\":\"knet-drop:3\",\"chain\":\"ingress-np-0\",\"direction\":\"ingress\",\"tier\":\"NetworkPolicy\"}");
        assertThat(first.get("agreement").asString()).isEqualTo("agrees");
        assertThat(first.get("reason").asString()).contains("x/default-deny");

        JsonNode second = new ObjectMapper().readTree(r.lines().get(1));
        assertThat(second.get("source").toString()).isEqualTo("{\"ip\":\"192.0.2.1\",\"port\":5000}");
        assertThat(second.get("dropRule").toString()).isEqualTo("{\"prefix\":\"knet-drop:99\"}");
        assertThat(second.get("agreement").asString()).isEqualTo("disagrees");
    }

    @Test
    void aNodeWhoseLogCannotBeOpenedIsAnError() {
        Run r = run(List.of("knet-t-missing"), "--count", "1");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("cannot listen to the drop log (NFLOG group 100) in knet-t-missing",
                "no namespace knet-t-missing");
    }

    @Test
    void aLogThatFailsWhileReadingEndsWithExitOne() {
        node("knet-t-node1").failWith(new DataplaneException(DataplaneException.Kind.IO, "recv failed: boom"));

        Run r = run(List.of("knet-t-node1"), "--verdict", "dropped");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read the drop log of knet-t-node1: recv failed: boom");
    }

    @Test
    void aFailedDropLogLeavesTheForwardedFlowsStreaming() {
        node("knet-t-node1").failWith(new DataplaneException(DataplaneException.Kind.IO, "recv failed: boom"));
        flows("knet-t-node1").confirm(FakeConntrackSource.flow(IpProtocol.TCP, "10.244.3.9", 41000, "10.244.1.5", 8080));

        // no --count: the forwarded line and the failure come from two threads in either order, and a count of
        // one would end the stream before the failure when the line comes first
        Run r = run(List.of("knet-t-node1"), "--timeout", "2s");

        assertThat(r.exit()).as("a source failed").isEqualTo(1);
        assertThat(r.err()).contains("cannot read the drop log of knet-t-node1: recv failed: boom");
        assertThat(r.lines()).singleElement().asString().contains(" FORWARDED y/c:41000 -> x/a:8080/TCP");
    }

    @Test
    void badOptionsAreRefused() {
        assertThat(run(List.of("knet-t-node1"), "-o", "yaml").err()).contains("-o must be text or json");
        assertThat(run(List.of("knet-t-node1"), "--count", "0").err()).contains("--count must be at least 1");
        assertThat(run(List.of("knet-t-node1"), "--timeout", "soon").err()).contains("cannot read --timeout soon");
        assertThat(run(List.of("knet-t-node1"), "--timeout", "1s", "--seconds", "1").err()).contains("not both");
        assertThat(run(List.of(), "--count", "1").err()).contains("no node namespaces to listen in");
        assertThat(run(List.of("knet-t-node1"), "--verdict", "some").err())
                .contains("--verdict must be dropped, forwarded or all, not some");
    }

    // --- forwarded flows (conntrack NEW events) ---

    @Test
    void aForwardedFlowNamesThePolicyThatAllowedIt() {
        node("knet-t-node1");
        flows("knet-t-node1").confirm(FakeConntrackSource.flow(IpProtocol.TCP, "10.244.3.9", 41000, "10.244.1.5", 8080));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.lines()).singleElement().asString()
                .contains("knet-t-node1 FORWARDED y/c:41000 -> x/a:8080/TCP: allowed: ")
                .contains("NetworkPolicy x/a-from-y allows ingress to x/a from y/c (rule 0")
                .doesNotContain("disagree", "(via");
        assertThat(conntrack.get("knet-t-node1").closed()).as("the listener closes its source").isTrue();
    }

    @Test
    void aForwardedFlowTheModelWouldDenyIsFlagged() {
        node("knet-t-node1");
        // x/b is isolated by x/default-deny: the model denies z/d -> x/b, yet the node forwarded it
        flows("knet-t-node1").confirm(FakeConntrackSource.flow(IpProtocol.TCP, "10.244.4.4", 41001, "10.244.2.7", 80));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.lines()).singleElement().asString()
                .contains("FORWARDED z/d:41001 -> x/b:80/TCP: model says denied: enforcement and model disagree (denied: ")
                .contains("x/b is isolated for ingress by x/default-deny");
    }

    @Test
    void theSourcesNodeForwardingAFlowTheDestinationsNodeWillDropIsNoDisagreement() {
        // z/d on node1 may send (no egress policy); x/b on node2 is isolated for ingress, which node2 enforces
        scheduled.put("z/d", "node1");
        scheduled.put("x/b", "node2");
        node("knet-t-node1");
        flows("knet-t-node1").confirm(FakeConntrackSource.flow(IpProtocol.TCP, "10.244.4.4", 41001, "10.244.2.7", 80));

        Run r = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(r.lines()).singleElement().asString().contains("knet-t-node1 FORWARDED z/d:41001 -> x/b:80/TCP: ")
                .doesNotContain("disagree");
    }

    @Test
    void theDestinationsNodeForwardingAFlowItShouldDropIsADisagreement() {
        scheduled.put("z/d", "node1");
        scheduled.put("x/b", "node2");
        node("knet-t-node2");
        flows("knet-t-node2").confirm(FakeConntrackSource.flow(IpProtocol.TCP, "10.244.4.4", 41001, "10.244.2.7", 80));

        Run r = run(List.of("knet-t-node2"), "--count", "1");

        assertThat(r.lines()).singleElement().asString().contains("model says denied: enforcement and model disagree");
    }

    @Test
    void aFlowThroughAServiceNamesTheEndpointPodAndTheService() throws Exception {
        node("knet-t-node1");
        flows("knet-t-node1").confirm(FakeConntrackSource.dnat("10.244.3.9", 41002, "10.96.0.10", 80, "10.244.1.5", 8080));

        Run text = run(List.of("knet-t-node1"), "--count", "1");

        assertThat(text.lines()).singleElement().asString()
                .contains("FORWARDED y/c:41002 -> x/a:8080/TCP (via svc x/web 10.96.0.10:80): allowed: ")
                .contains("NetworkPolicy x/a-from-y allows ingress to x/a from y/c");

        flows("knet-t-node1").confirm(FakeConntrackSource.dnat("10.244.3.9", 41003, "10.96.0.10", 80, "10.244.1.5", 8080));
        Run json = run(List.of("knet-t-node1"), "-o", "json", "--count", "1");
        JsonNode line = new ObjectMapper().readTree(json.lines().getFirst());
        assertThat(line.get("verdict").asString()).isEqualTo("FORWARDED");
        assertThat(line.get("destination").toString())
                .isEqualTo("{\"ip\":\"10.244.1.5\",\"port\":8080,\"namespace\":\"x\",\"pod\":\"a\"}");
        assertThat(line.get("service").toString())
                .isEqualTo("{\"ip\":\"10.96.0.10\",\"port\":80,\"namespace\":\"x\",\"name\":\"web\"}");
        assertThat(line.has("dropRule")).isFalse();
        assertThat(line.get("agreement").asString()).isEqualTo("agrees");
    }

    @Test
    void flowsPolicyDoesNotJudgeAreSkipped() {
        node("knet-t-node1");
        flows("knet-t-node1").confirm(
                FakeConntrackSource.flow(IpProtocol.ICMP, "10.244.3.9", -1, "10.244.1.5", -1),   // not TCP/UDP/SCTP
                FakeConntrackSource.flow(IpProtocol.TCP, "192.0.2.1", 179, "192.0.2.2", 179),    // neither end known
                FakeConntrackSource.flow(IpProtocol.TCP, "172.18.0.11", 5000, "10.244.1.5", 8080), // the node's own
                FakeConntrackSource.flow(IpProtocol.UDP, "10.244.4.4", 5353, "10.244.3.9", 53)); // shown

        Run r = run(List.of("knet-t-node1"), "--count", "1", "--timeout", "5s");

        assertThat(r.lines()).singleElement().asString().contains("FORWARDED z/d:5353 -> y/c:53/UDP: allowed: ");
    }

    @Test
    void theVerdictOptionPicksDropsOrForwardedFlows() {
        for (String verdict : List.of("dropped", "forwarded", "all")) {
            logs.clear();
            conntrack.clear();
            node("knet-t-node1").log(tcp("knet-drop:3 ", "10.244.3.9", 40000, "10.244.2.7", 80));
            flows("knet-t-node1").confirm(FakeConntrackSource.flow(IpProtocol.TCP, "10.244.3.9", 41000, "10.244.1.5", 8080));

            Run r = run(List.of("knet-t-node1"), "--verdict", verdict, "--timeout", "2s");

            List<String> kinds = r.lines().stream().map(l -> l.contains(" DROPPED ") ? "DROPPED" : "FORWARDED").sorted().toList();
            assertThat(kinds).as(verdict).isEqualTo(switch (verdict) {
                case "dropped" -> List.of("DROPPED");
                case "forwarded" -> List.of("FORWARDED");
                default -> List.of("DROPPED", "FORWARDED");
            });
            assertThat(r.exit()).isZero();
        }
        logs.clear();
        conntrack.clear();
        run(List.of("knet-t-node1"), "--verdict", "dropped", "--timeout", "100ms");
        assertThat(conntrack).as("--verdict dropped does not listen to conntrack").isEmpty();
    }

    @Test
    void withoutConntrackEventsDropsStillStreamAndStderrSaysSoOnce() {
        noConntrack = new DataplaneException(DataplaneException.Kind.OTHER, "no conntrack events in knet-t-node1: off");
        node("knet-t-node1").log(tcp("knet-drop:3 ", "10.244.3.9", 40000, "10.244.2.7", 80));
        node("knet-t-node2");

        Run r = run(List.of("knet-t-node1", "knet-t-node2"), "--count", "1");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).singleElement().asString().contains(" DROPPED y/c:40000 -> x/b:80/TCP");
        assertThat(r.err().lines().toList()).singleElement().asString()
                .isEqualTo("forwarded flows are not available (no conntrack events): "
                        + "no conntrack events in knet-t-node1: off (and 1 more node(s))");

        Run only = run(List.of("knet-t-node1"), "--verdict", "forwarded", "--count", "1");
        assertThat(only.exit()).as("nothing to show at all").isEqualTo(1);
        assertThat(only.err()).contains("forwarded flows are not available");
    }
}
