package dev.knet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The Service behaviours of conformance/services/behaviours.yaml with real packets, on one shared two-node lab:
 * one dynamic test per behaviour, in the file's order; behaviours knet cannot show here are skipped with the
 * reason, and a behaviour the file gains without a test or a reason fails. Every behaviour uses Services (and
 * pods) of its own from services-lab.yaml, so the order does not matter for the results.
 */
@Tag("lab")
class ServiceBehavioursLabTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final double FAIL_TIMEOUT = 1.0;
    private static ServiceLab lab;
    private static String client1;
    private static String client2;
    private static String ext;
    private static String node1;
    private static String node2;

    /** A behaviour either has a lab check or a reason why the lab cannot show it. */
    sealed interface Coverage {
        record Covered(Executable check) implements Coverage {
        }

        record NotCovered(String reason) implements Coverage {
        }
    }

    @BeforeAll
    static void startLab() throws Exception {
        lab = ServiceLab.start();
        try {
            lab.apply(resource("services-lab.yaml"));
            List<String> pods = List.of("web-a", "web-b", "solo", "multi-1", "multi-2", "client-1", "client-2", "upd-1",
                    "upd-2", "unready", "hostnet-echo", "fb-cluster", "fb-itp-local", "fb-np", "fb-np-local", "fb-hc",
                    "term-pub", "term-unpub", "evicted-pod");
            await("pods running").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> pods.stream().allMatch(lab::running));
            client1 = lab.podNetns("client-1");
            client2 = lab.podNetns("client-2");
            ext = lab.externalNetns();
            node1 = lab.nodeNetns("node-1");
            node2 = lab.nodeNetns("node-2");
            // every node's proxy has synced the first wave once both clients reach a two-endpoint service
            awaitHostnames(client1, url(lab.clusterIp("web"), 80), "web-a", "web-b");
            awaitHostnames(client2, url(lab.clusterIp("web"), 80), "web-a", "web-b");
        } catch (Exception | Error e) {
            lab.close();
            lab = null;
            throw e;
        }
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            List<String> leftovers;
            try {
                lab.close();
            } finally {
                leftovers = lab.leftoverNamespaces();
                lab = null;
            }
            assertThat(leftovers).as("lab namespaces left behind").isEmpty();
        }
    }

    @TestFactory
    Stream<DynamicTest> behaviours() {
        Behaviours file = Behaviours.load("conformance/services/behaviours.yaml");
        Map<String, Coverage> coverage = coverage();
        assertThat(file.unhandled(coverage)).as("behaviours without a test or a reason").isEmpty();
        return file.all().stream().map(b -> DynamicTest.dynamicTest(b.id() + ": " + b.title(), () -> {
            switch (coverage.get(b.id())) {
                case Coverage.Covered c -> c.check().execute();
                case Coverage.NotCovered n -> Assumptions.abort(n.reason());
            }
        }));
    }

    private static Map<String, Coverage> coverage() {
        Map<String, Coverage> m = new LinkedHashMap<>();
        m.put("svc-basic-endpoint", covered(ServiceBehavioursLabTest::basicEndpoint));
        m.put("svc-multiport-endpoints", covered(() -> {
            awaitBody(client1, url(lab.clusterIp("multi"), 80), "multi-1");
            awaitBody(client1, url(lab.clusterIp("multi"), 81), "multi-2");
        }));
        m.put("svc-add-delete-ports", covered(ServiceBehavioursLabTest::addDeletePorts));
        m.put("svc-same-port-tcp-udp", covered(ServiceBehavioursLabTest::samePortTcpUdp));
        m.put("svc-same-port-lb-internal", covered(() -> {
            awaitHostnames(client1, url(lab.clusterIp("lb-proto"), 80), "web-a", "web-b");
            awaitUdpAnswers(client1, lab.clusterIp("lb-proto"), 80, "web-a", "web-b");
        }));
        m.put("svc-no-endpoints-rejected", covered(() -> {
            String ip = lab.clusterIp("empty");
            assertThat(lab.http(client1, url(ip, 80), 3)).as("TCP to a service without endpoints").isEqualTo("refused");
            assertThat(lab.udp(client1, ip, 81, "hostname", 3)).as("UDP to a service without endpoints").isEqualTo("refused");
            assertThat(lab.http(node2, url(ip, 80), 3)).as("TCP from a node").isEqualTo("refused");
        }));
        m.put("svc-evicted-pods-rejected", covered(ServiceBehavioursLabTest::evictedPodsRejected));
        m.put("svc-up-down", covered(ServiceBehavioursLabTest::upDown));
        m.put("svc-recreated", covered(ServiceBehavioursLabTest::recreated));
        m.put("svc-restart-proxy", covered(ServiceBehavioursLabTest::restartProxy));
        m.put("svc-restart-apiserver", covered(ServiceBehavioursLabTest::restartApiServer));
        m.put("svc-preserve-source-ip", covered(() -> {
            awaitBodyStartsWith(client1, "http://" + lab.clusterIp("web") + "/clientip", lab.podIp("client-1") + ":");
            awaitBodyStartsWith(client2, "http://" + lab.clusterIp("web") + "/clientip", lab.podIp("client-2") + ":");
        }));
        m.put("svc-hairpin", covered(() -> awaitBody(lab.podNetns("solo"), url(lab.clusterIp("solo-lb"), 80), "solo")));
        m.put("svc-nodeport-functioning", covered(() -> {
            int np = lab.nodePort("web-np", 0);
            awaitHostnames(client1, url(lab.clusterIp("web-np"), 80), "web-a", "web-b");
            for (String nodeIp : ServiceLab.NODE_IPS) {
                awaitHostnames(ext, url(nodeIp, np), "web-a", "web-b");
            }
        }));
        m.put("svc-nodeport-tcp-udp-update", covered(ServiceBehavioursLabTest::nodePortTcpUdpUpdate));
        m.put("svc-nodeport-collision", covered(ServiceBehavioursLabTest::nodePortCollision));
        m.put("svc-nodeport-range", covered(() -> assertThatThrownBy(() -> lab.apply(nodePortService("np-range", 1234)))
                .isInstanceOf(ApiException.class).hasMessageContaining("not in the valid range")));
        m.put("svc-nodeport-release", covered(ServiceBehavioursLabTest::nodePortRelease));
        m.put("svc-nodeport-all-nodes", covered(() -> {
            int np = lab.nodePort("web-np", 0);
            int udpNp = lab.nodePort("web-np", 1);
            awaitHostnames(client1, url(lab.clusterIp("web-np"), 80), "web-a", "web-b");
            awaitUdpAnswers(client1, lab.clusterIp("web-np"), 81, "web-a", "web-b");
            for (String nodeIp : ServiceLab.NODE_IPS) {
                awaitHostnames(client1, url(nodeIp, np), "web-a", "web-b");
                awaitUdpAnswers(client1, nodeIp, udpNp, "web-a", "web-b");
            }
        }));
        m.put("svc-node-to-service", covered(() -> {
            awaitHostnames(node1, url(lab.clusterIp("web-np"), 80), "web-a", "web-b");
            awaitHostnames(node1, url(ServiceLab.NODE_IPS.get(0), lab.nodePort("web-np", 0)), "web-a", "web-b");
            awaitUdpAnswers(node1, lab.clusterIp("web-np"), 81, "web-a", "web-b");
        }));
        m.put("svc-endpoint-to-service", covered(() -> {
            String webA = lab.podNetns("web-a");
            awaitHostnames(webA, url(lab.clusterIp("web-np"), 80), "web-a", "web-b");
            awaitHostnames(webA, url(ServiceLab.NODE_IPS.get(0), lab.nodePort("web-np", 0)), "web-a", "web-b");
        }));
        m.put("svc-update-endpoints", covered(() -> {
            String u = url(lab.clusterIp("upd"), 80);
            awaitHostnames(client1, u, "upd-1", "upd-2");
            lab.deletePod("upd-2");
            awaitHostnames(client1, u, "upd-1");
        }));
        m.put("svc-update-nodeport", covered(() -> {
            String u = url(ServiceLab.NODE_IPS.get(1), lab.nodePort("np-delete", 0));
            awaitHostnames(ext, u, "web-a", "web-b");
            lab.deleteService("np-delete");
            awaitFails(ext, u);
        }));
        m.put("svc-large-requests", covered(() -> {
            String msg = "42".repeat(1000);
            awaitBody(client1, "http://" + lab.clusterIp("large") + "/echo?msg=" + msg, msg);
            String datagram = "n" + "o".repeat(1999);
            await().atMost(SETTLE).until(() -> lab.udp(client1, lab.clusterIp("large"), 80, "echo " + datagram, 2),
                    r -> r.equals("ok " + datagram));
        }));
        m.put("svc-externalip", covered(() -> awaitHostnames(client1, url("203.0.113.250", 80), "web-a", "web-b")));
        m.put("svc-type-externalname-to-clusterip", covered(() -> {
            editService("externalname-to-clusterip", ServiceBehavioursLabTest::becomeClusterIp);
            await().atMost(SETTLE).until(() -> lab.clusterIp("externalname-to-clusterip") != null);
            awaitHostnames(client1, url(lab.clusterIp("externalname-to-clusterip"), 80), "web-a", "web-b");
        }));
        m.put("svc-type-externalname-to-nodeport", covered(() -> {
            editService("externalname-to-nodeport", s -> {
                becomeClusterIp(s);
                s.getSpec().setType("NodePort");
            });
            await().atMost(SETTLE).until(() -> lab.service("externalname-to-nodeport").getSpec().getPorts().getFirst().getNodePort() != null);
            awaitHostnames(client1, url(lab.clusterIp("externalname-to-nodeport"), 80), "web-a", "web-b");
            for (String nodeIp : ServiceLab.NODE_IPS) {
                awaitHostnames(ext, url(nodeIp, lab.nodePort("externalname-to-nodeport", 0)), "web-a", "web-b");
            }
        }));
        m.put("svc-type-clusterip-to-externalname", covered(() -> {
            String old = lab.clusterIp("clusterip-to-externalname");
            awaitHostnames(client1, url(old, 80), "web-a", "web-b");
            editService("clusterip-to-externalname", ServiceBehavioursLabTest::becomeExternalName);
            assertThat(lab.service("clusterip-to-externalname").getSpec().getClusterIP()).isNullOrEmpty();
            awaitFails(client1, url(old, 80));
        }));
        m.put("svc-type-nodeport-to-externalname", covered(() -> {
            int np = lab.nodePort("nodeport-to-externalname", 0);
            awaitHostnames(ext, url(ServiceLab.NODE_IPS.get(0), np), "web-a", "web-b");
            editService("nodeport-to-externalname", ServiceBehavioursLabTest::becomeExternalName);
            assertThat(lab.service("nodeport-to-externalname").getSpec().getPorts()).allMatch(p -> p.getNodePort() == null);
            awaitFails(ext, url(ServiceLab.NODE_IPS.get(0), np));
        }));
        m.put("svc-affinity-clusterip", covered(() -> awaitSticky(client1, url(lab.clusterIp("sticky"), 80))));
        m.put("svc-affinity-nodeport", covered(() -> awaitSticky(client1, url(ServiceLab.NODE_IPS.get(0), lab.nodePort("sticky-np", 0)))));
        m.put("svc-affinity-switch-clusterip", covered(() -> affinitySwitch("sticky-switch", () -> url(lab.clusterIp("sticky-switch"), 80))));
        m.put("svc-affinity-switch-nodeport", covered(() -> affinitySwitch("sticky-switch-np",
                () -> url(ServiceLab.NODE_IPS.get(0), lab.nodePort("sticky-switch-np", 0)))));
        m.put("svc-affinity-timeout-clusterip", covered(() -> affinityTimeout(url(lab.clusterIp("sticky-short"), 80))));
        m.put("svc-affinity-timeout-nodeport", covered(() -> affinityTimeout(url(ServiceLab.NODE_IPS.get(0), lab.nodePort("sticky-short-np", 0)))));
        m.put("svc-affinity-granular", covered(() -> {
            awaitSticky(client2, url(lab.clusterIp("sticky"), 80));
            Set<String> answers = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                answers.add(lab.udp(client2, lab.clusterIp("sticky"), 81, "hostname", 2));
            }
            String table = answers.size() == 1 ? "" : lab.exec(node2, "nft", "list", "table", "ip", "knet-services");
            assertThat(answers).as("UDP answers under ClientIP affinity " + table).hasSize(1).allMatch(a -> a.startsWith("ok web-"));
        }));
        m.put("svc-proxy-name-label", covered(() -> labelToggle("proxy-name", "proxy-name-toggled",
                "service.kubernetes.io/service-proxy-name", "foo-bar")));
        m.put("svc-headless-label", covered(() -> labelToggle("headless-label", "headless-toggled",
                "service.kubernetes.io/headless", "")));
        m.put("svc-unready-endpoints-published", covered(() -> {
            assertThat(lab.pod("unready").getStatus().getConditions()).noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            awaitBody(client1, url(lab.clusterIp("unready-pub"), 80), "unready");
        }));
        m.put("svc-terminating-unready-published", covered(() -> terminatingUnready("term-pub", true)));
        m.put("svc-terminating-unready-not-published", covered(() -> terminatingUnready("term-unpub", false)));
        m.put("svc-itp-local-pod-to-pod", covered(() -> {
            String u = url(lab.clusterIp("itp-local"), 80);
            awaitBody(client1, u, "solo");
            assertFailsEveryTime(client2, u);
        }));
        m.put("svc-itp-local-hostnet-client", covered(() -> {
            String u = url(lab.clusterIp("itp-local"), 80);
            awaitBody(node1, u, "solo");
            assertFailsEveryTime(node2, u);
        }));
        m.put("svc-itp-local-hostnet-backend", covered(() -> {
            String u = url(lab.clusterIp("itp-hostnet"), 80);
            awaitOk(client1, u);
            awaitOk(node1, u);
            assertFailsEveryTime(client2, u);
            assertFailsEveryTime(node2, u);
        }));
        m.put("svc-hcnp-terminating", covered(ServiceBehavioursLabTest::healthCheckTerminating));
        m.put("svc-fallback-terminating-itp-cluster", covered(() -> {
            String u = url(lab.clusterIp("fallback"), 80);
            awaitBody(client1, u, "fb-cluster");
            terminateServing("fallback", "fb-cluster");
            awaitBody(client1, u, "fb-cluster");
            awaitBody(client2, u, "fb-cluster");
        }));
        m.put("svc-fallback-terminating-itp-local", covered(() -> {
            String u = url(lab.clusterIp("fallback-itp-local"), 80);
            awaitBody(client1, u, "fb-itp-local");
            terminateServing("fallback-itp-local", "fb-itp-local");
            awaitBody(client1, u, "fb-itp-local");
            assertFailsEveryTime(client2, u);
        }));
        m.put("svc-fallback-terminating-etp-cluster", covered(() -> {
            String u = url(ServiceLab.NODE_IPS.get(0), lab.nodePort("fallback-np", 0));
            awaitBody(client1, u, "fb-np");
            terminateServing("fallback-np", "fb-np");
            awaitBody(client1, u, "fb-np");
            awaitBody(client2, u, "fb-np");
        }));
        m.put("svc-fallback-terminating-etp-local", covered(() -> {
            int np = lab.nodePort("fallback-np-local", 0);
            awaitBody(client2, url(ServiceLab.NODE_IPS.get(0), np), "fb-np-local");
            terminateServing("fallback-np-local", "fb-np-local");
            awaitBody(client1, url(ServiceLab.NODE_IPS.get(0), np), "fb-np-local");
            awaitBody(client2, url(ServiceLab.NODE_IPS.get(0), np), "fb-np-local");
            assertFailsEveryTime(client1, url(ServiceLab.NODE_IPS.get(1), np));
        }));
        m.put("svc-etp-local-nodeport-source-ip", covered(() -> {
            int np = lab.nodePort("solo-lb", 0);
            awaitBodyStartsWith(client1, "http://" + ServiceLab.NODE_IPS.get(0) + ":" + np + "/clientip", lab.podIp("client-1") + ":");
            awaitBodyStartsWith(ext, "http://" + ServiceLab.NODE_IPS.get(0) + ":" + np + "/clientip", ServiceLab.EXTERNAL_IP + ":");
        }));
        m.put("svc-etp-local-only-endpoint-nodes", covered(() -> {
            Integer hc = lab.service("solo-lb").getSpec().getHealthCheckNodePort();
            assertThat(hc).as("healthCheckNodePort").isNotNull().isNotZero();
            for (int round = 0; round < 2; round++) {
                awaitStatus(ext, "http://" + ServiceLab.NODE_IPS.get(0) + ":" + hc + "/healthz", 200);
                awaitStatus(ext, "http://" + ServiceLab.NODE_IPS.get(1) + ":" + hc + "/healthz", 503);
            }
        }));
        m.put("svc-etp-local-from-pods", covered(() -> awaitBodyStartsWith(client2,
                "http://" + loadBalancerIp("solo-lb") + "/clientip", lab.podIp("client-2") + ":")));
        m.put("svc-etp-update", covered(ServiceBehavioursLabTest::externalPolicyUpdate));
        m.put("svc-etp-local-drops-without-endpoint", covered(() -> {
            int np = lab.nodePort("solo-lb", 0);
            awaitBody(ext, url(ServiceLab.NODE_IPS.get(0), np), "solo");
            assertThat(lab.http(ext, url(ServiceLab.NODE_IPS.get(1), np), 2)).as("node without a local endpoint drops").isEqualTo("timeout");
        }));
        m.put("svc-sctp-basic", covered(ServiceBehavioursLabTest::sctp));
        m.put("netpol-probes-via-service", notCovered("a NetworkPolicy fact: enforcement after Service DNAT is checked by"
                + " knet-policy's lab tests, not by the Service proxy's"));
        return m;
    }

    // ---- behaviours the brief asks for that the conformance file does not list

    @Test
    void podTrafficToTheExternalHostLeavesWithTheNodeAddress() throws Exception {
        lab.serveClientIp(ext, 8099);
        awaitBody(client1, "http://" + ServiceLab.EXTERNAL_IP + ":8099/", ServiceLab.NODE_IPS.get(0));
        awaitBody(client2, "http://" + ServiceLab.EXTERNAL_IP + ":8099/", ServiceLab.NODE_IPS.get(1));
    }

    @Test
    void loadBalancerAddressesAnswerTheExternalHost() {
        awaitHostnames(ext, url(loadBalancerIp("web-lb"), 80), "web-a", "web-b");
        awaitBodyStartsWith(ext, "http://" + loadBalancerIp("solo-lb") + "/clientip", ServiceLab.EXTERNAL_IP + ":");
    }

    // ---- checks that take several steps

    private static void basicEndpoint() {
        lab.apply(service("basic", "basic"));
        String u = url(lab.clusterIp("basic"), 80);
        assertThat(endpointCount("basic")).isZero();
        await().atMost(SETTLE).until(() -> lab.http(client1, u, 3), "refused"::equals);
        lab.apply(pod("basic-1", "node-2", "basic"));
        awaitHostnames(client1, u, "basic-1");
        lab.apply(pod("basic-2", "node-1", "basic"));
        awaitHostnames(client1, u, "basic-1", "basic-2");
        lab.deletePod("basic-1");
        awaitHostnames(client1, u, "basic-2");
        lab.deletePod("basic-2");
        await().atMost(SETTLE).until(() -> endpointCount("basic") == 0);
        await().atMost(SETTLE).until(() -> lab.http(client1, u, 3), "refused"::equals);
    }

    private static void addDeletePorts() {
        String ip = lab.clusterIp("edit-port");
        awaitBody(client1, url(ip, 80), "multi-1");
        editService("edit-port", s -> s.getSpec().getPorts().add(new ServicePortBuilder().withName("portname2").withPort(81)
                .withTargetPort(new IntOrString("svc2")).withProtocol("TCP").build()));
        awaitBody(client1, url(ip, 81), "multi-2");
        awaitBody(client1, url(ip, 80), "multi-1");
        editService("edit-port", s -> s.getSpec().getPorts().removeIf(p -> "portname2".equals(p.getName())));
        awaitFails(client1, url(ip, 81));
        awaitBody(client1, url(ip, 80), "multi-1");
    }

    private static void samePortTcpUdp() {
        String ip = lab.clusterIp("proto");
        awaitHostnames(client1, url(ip, 80), "web-a", "web-b");
        awaitUdpAnswers(client1, ip, 80, "web-a", "web-b");
        editService("proto", s -> s.getSpec().getPorts().removeIf(p -> "UDP".equals(p.getProtocol())));
        await().atMost(SETTLE).until(() -> lab.udp(client1, ip, 80, "hostname", FAIL_TIMEOUT), r -> !r.startsWith("ok"));
        awaitOk(client1, url(ip, 80));
        editService("proto", s -> s.getSpec().setPorts(List.of(new ServicePortBuilder().withName("udp-port").withPort(80)
                .withTargetPort(new IntOrString("udp")).withProtocol("UDP").build())));
        awaitFails(client1, url(ip, 80));
        await().atMost(SETTLE).until(() -> lab.udp(client1, ip, 80, "hostname", 2), r -> r.startsWith("ok web-"));
    }

    private static void upDown() {
        String one = lab.clusterIp("up-down-1");
        String two = lab.clusterIp("up-down-2");
        for (String ns : List.of(client1, node1)) {
            awaitHostnames(ns, url(one, 80), "web-a", "web-b");
            awaitHostnames(ns, url(two, 80), "web-a", "web-b");
        }
        lab.deleteService("up-down-1");
        awaitFails(node1, url(one, 80));
        awaitHostnames(node1, url(two, 80), "web-a", "web-b");
        lab.apply(service("up-down-3", "web"));
        String three = lab.clusterIp("up-down-3");
        assertThat(three).isNotEqualTo(two);
        awaitHostnames(client1, url(three, 80), "web-a", "web-b");
        awaitHostnames(client1, url(two, 80), "web-a", "web-b");
    }

    /** Both nodes' proxies restart: each lists everything again and replaces its table in one full sync. */
    private static void restartProxy() {
        String one = lab.clusterIp("restart-proxy-1");
        String two = lab.clusterIp("restart-proxy-2");
        awaitHostnames(client1, url(one, 80), "web-a", "web-b");
        awaitHostnames(client2, url(two, 80), "web-a", "web-b");
        ServiceLab.NODES.forEach(lab::restartServiceProxy);
        for (String ns : List.of(client1, client2, node1, node2)) {
            awaitHostnames(ns, url(one, 80), "web-a", "web-b");
            awaitHostnames(ns, url(two, 80), "web-a", "web-b");
        }
        // the new proxies follow changes made after the restart, not only the state they listed
        lab.apply(service("restart-proxy-3", "web"));
        awaitHostnames(client2, url(lab.clusterIp("restart-proxy-3"), 80), "web-a", "web-b");
    }

    /** The data plane is unaffected by an API server restart, and the agents follow the new server's changes. */
    private static void restartApiServer() throws Exception {
        String one = lab.clusterIp("restart-apiserver-1");
        awaitHostnames(client1, url(one, 80), "web-a", "web-b");
        lab.restartApiServer();
        await("/healthz of the restarted API server").atMost(SETTLE).until(() -> healthz(lab.apiUrl()), "ok"::equals);
        awaitHostnames(client1, url(one, 80), "web-a", "web-b");
        awaitHostnames(node2, url(one, 80), "web-a", "web-b");
        lab.apply(service("restart-apiserver-2", "web"));
        String two = lab.clusterIp("restart-apiserver-2");
        assertThat(two).as("a new Service's ClusterIP").isNotEqualTo(one);
        // reachable only once both nodes' agents watch the new server again
        awaitHostnames(client1, url(two, 80), "web-a", "web-b");
        awaitHostnames(client2, url(two, 80), "web-a", "web-b");
    }

    private static String healthz(String apiUrl) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString(); // not up yet
        }
    }

    private static void recreated() {
        awaitHostnames(client1, url(lab.clusterIp("recreate"), 80), "web-a", "web-b");
        lab.deleteService("recreate");
        await().atMost(SETTLE).until(() -> lab.store().get(ResourceKinds.SERVICE, "default", "recreate").isEmpty());
        lab.apply(service("recreate", "web"));
        awaitHostnames(client1, url(lab.clusterIp("recreate"), 80), "web-a", "web-b");
    }

    private static void nodePortTcpUdpUpdate() {
        editService("np-update", s -> s.getSpec().setType("NodePort"));
        awaitHostnames(ext, url(ServiceLab.NODE_IPS.get(0), lab.nodePort("np-update", 0)), "web-a", "web-b");
        awaitHostnames(client1, url(lab.clusterIp("np-update"), 80), "web-a", "web-b");
        editService("np-update", s -> s.getSpec().getPorts().add(new ServicePortBuilder().withName("udp-port").withPort(80)
                .withTargetPort(new IntOrString("udp")).withProtocol("UDP").build()));
        List<ServicePort> ports = lab.service("np-update").getSpec().getPorts();
        assertThat(ports).hasSize(2).allMatch(p -> p.getNodePort() != null && p.getNodePort() != 0);
        int tcp = ports.stream().filter(p -> "TCP".equals(p.getProtocol())).findFirst().orElseThrow().getNodePort();
        int udp = ports.stream().filter(p -> "UDP".equals(p.getProtocol())).findFirst().orElseThrow().getNodePort();
        awaitHostnames(ext, url(ServiceLab.NODE_IPS.get(1), tcp), "web-a", "web-b");
        awaitUdpAnswers(ext, ServiceLab.NODE_IPS.get(1), udp, "web-a", "web-b");
    }

    private static void nodePortCollision() {
        lab.apply(nodePortService("collide-1", 0));
        int taken = lab.nodePort("collide-1", 0);
        assertThatThrownBy(() -> lab.apply(nodePortService("collide-2", taken)))
                .isInstanceOf(ApiException.class).hasMessageContaining("port is already allocated");
        lab.deleteService("collide-1");
        lab.apply(nodePortService("collide-2", taken));
        assertThat(lab.nodePort("collide-2", 0)).isEqualTo(taken);
        lab.deleteService("collide-2");
    }

    private static void nodePortRelease() {
        lab.apply(nodePortService("np-release", 0));
        int port = lab.nodePort("np-release", 0);
        awaitHostnames(ext, url(ServiceLab.NODE_IPS.get(0), port), "web-a", "web-b");
        lab.deleteService("np-release");
        awaitFails(ext, url(ServiceLab.NODE_IPS.get(0), port));
        for (String node : List.of(node1, node2)) {
            assertThat(lab.exec(node, "ss", "-Hltnu", "sport = :" + port)).as("listeners on the released nodePort").isEmpty();
        }
        lab.apply(nodePortService("np-release-again", port));
        assertThat(lab.nodePort("np-release-again", 0)).isEqualTo(port);
    }

    private static void affinitySwitch(String service, java.util.function.Supplier<String> url) {
        awaitSticky(client1, url.get());
        editService(service, s -> {
            s.getSpec().setSessionAffinity("None");
            s.getSpec().setSessionAffinityConfig(null);
        });
        await().atMost(SETTLE).until(() -> spreadOf(client1, url.get(), 20).size() > 1);
        editService(service, s -> s.getSpec().setSessionAffinity("ClientIP"));
        awaitSticky(client1, url.get());
    }

    private static void affinityTimeout(String url) {
        awaitSticky(client1, url);
        String first = body(lab.http(client1, url, 2));
        // each poll comes after the 2 s affinity timeout has run out, so it may land on either endpoint
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(2500))
                .until(() -> body(lab.http(client1, url, 2)), b -> b != null && !b.equals(first));
    }

    private static void labelToggle(String disabled, String toggled, String label, String value) {
        String off = url(lab.clusterIp(disabled), 80);
        String on = url(lab.clusterIp(toggled), 80);
        awaitHostnames(client1, on, "web-a", "web-b");
        assertFailsEveryTime(client1, off);
        editService(toggled, s -> s.getMetadata().getLabels().put(label, value));
        awaitFails(client1, on);
        editService(toggled, s -> s.getMetadata().getLabels().remove(label));
        awaitHostnames(client1, on, "web-a", "web-b");
        assertFailsEveryTime(client1, off);
    }

    private static void healthCheckTerminating() {
        Integer hc = lab.service("hc-terminating").getSpec().getHealthCheckNodePort();
        assertThat(hc).isNotNull();
        String health = "http://" + ServiceLab.NODE_IPS.get(0) + ":" + hc + "/healthz";
        awaitStatus(ext, health, 200);
        terminateServing("hc-terminating", "fb-hc");
        awaitStatus(ext, health, 503);
        awaitBody(client1, url(ServiceLab.NODE_IPS.get(0), lab.nodePort("hc-terminating", 0)), "fb-hc");
        awaitBody(ext, url(ServiceLab.NODE_IPS.get(0), lab.nodePort("hc-terminating", 0)), "fb-hc");
    }

    private static void externalPolicyUpdate() {
        Service before = lab.service("etp-update");
        int hc = before.getSpec().getHealthCheckNodePort();
        int np = before.getSpec().getPorts().getFirst().getNodePort();
        String clientIp = "http://" + ServiceLab.NODE_IPS.get(0) + ":" + np + "/clientip";
        awaitBodyStartsWith(ext, clientIp, ServiceLab.EXTERNAL_IP + ":");
        assertFailsEveryTime(ext, url(ServiceLab.NODE_IPS.get(1), np));
        editService("etp-update", s -> s.getSpec().setExternalTrafficPolicy("Cluster"));
        assertThat(lab.service("etp-update").getSpec().getHealthCheckNodePort()).as("healthCheckNodePort under Cluster").isIn(null, 0);
        awaitBody(ext, url(ServiceLab.NODE_IPS.get(1), np), "solo");
        await("source no longer preserved").atMost(SETTLE).until(() -> lab.http(ext, clientIp, 2),
                r -> r.startsWith("ok 200 ") && !r.startsWith("ok 200 " + ServiceLab.EXTERNAL_IP + ":"));
        awaitFails(ext, "http://" + ServiceLab.NODE_IPS.get(0) + ":" + hc + "/healthz");
        editService("etp-update", s -> {
            s.getSpec().setExternalTrafficPolicy("Local");
            s.getSpec().setHealthCheckNodePort(hc);
        });
        assertThat(lab.service("etp-update").getSpec().getHealthCheckNodePort()).isEqualTo(hc);
        awaitBodyStartsWith(ext, clientIp, ServiceLab.EXTERNAL_IP + ":");
        awaitStatus(ext, "http://" + ServiceLab.NODE_IPS.get(0) + ":" + hc + "/healthz", 200);
    }

    /**
     * Deletes a pod (gracefully: its preStop keeps it running) and waits until the Service's slice shows it as
     * Kubernetes' EndpointSlice controller does while the pod is terminating and still Ready: ready=false,
     * serving=true, terminating=true, so the proxies fall back to it only when no endpoint is ready.
     */
    private static void terminateServing(String service, String pod) {
        lab.deletePod(pod);
        awaitEndpoint(service, pod, false, true);
    }

    /**
     * A pod deleted with a long grace period keeps serving but turns unready (one of its containers stops at once):
     * published only with publishNotReadyAddresses (ready=true there, serving=false), otherwise ready=false and
     * serving=false. From a client on the other node: the ClusterIP and both nodes' NodePorts answer with the pod,
     * or all fail, five rounds each.
     */
    private static void terminatingUnready(String pod, boolean published) {
        int np = lab.nodePort(pod, 0);
        List<String> urls = List.of(url(lab.clusterIp(pod), 80), url(ServiceLab.NODE_IPS.get(0), np),
                url(ServiceLab.NODE_IPS.get(1), np));
        urls.forEach(u -> awaitBody(client2, u, pod));
        lab.deletePod(pod);
        await(pod + " terminating and not ready").atMost(SETTLE).until(() -> lab.pod(pod),
                p -> p.getMetadata().getDeletionTimestamp() != null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus())));
        awaitEndpoint(pod, pod, published, false);
        awaitBody(client2, "http://" + lab.podIp(pod) + ":8080/hostname", pod); // the pod itself still serves
        for (String u : urls) {
            if (published) {
                awaitBody(client2, u, pod);
            } else {
                awaitFails(client2, u);
            }
        }
        for (int round = 0; round < 5; round++) {
            for (String u : urls) {
                String answer = lab.http(client2, u, 2);
                if (published) {
                    assertThat(answer).as(u + ", round " + round).isEqualTo("ok 200 " + pod);
                } else {
                    assertThat(answer).as(u + ", round " + round).doesNotStartWith("ok");
                }
            }
        }
        assertThat(lab.pod(pod).getMetadata().getDeletionTimestamp()).as("still terminating").isNotNull();
    }

    /** Until the Service's slices hold the pod as a terminating endpoint with these conditions. */
    private static void awaitEndpoint(String service, String pod, boolean ready, boolean serving) {
        await(service + " publishes terminating " + pod + " with ready=" + ready + ", serving=" + serving)
                .atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> slices(service).stream()
                        .flatMap(s -> s.getEndpoints() == null ? Stream.empty() : s.getEndpoints().stream())
                        .filter(e -> e.getTargetRef() != null && pod.equals(e.getTargetRef().getName()))
                        .map(Endpoint::getConditions).toList(),
                        c -> c.size() == 1 && Boolean.TRUE.equals(c.getFirst().getTerminating())
                                && Boolean.valueOf(ready).equals(c.getFirst().getReady())
                                && Boolean.valueOf(serving).equals(c.getFirst().getServing()));
    }

    /**
     * The pod's status is written Failed/Evicted, as a kubelet's eviction writes it: the EndpointSlice controller
     * drops it although the Service publishes not-ready addresses, the single slice is left without endpoints and
     * connections are refused; the node agent stops the pod and keeps the status as written.
     */
    private static void evictedPodsRejected() {
        String u = url(lab.clusterIp("evicted-pods"), 80);
        String direct = "http://" + lab.podIp("evicted-pod") + ":8080/hostname";
        awaitBody(client1, u, "evicted-pod");
        await("evict").atMost(SETTLE).ignoreException(ApiException.Conflict.class).until(() -> {
            Pod p = lab.pod("evicted-pod");
            p.getStatus().setPhase("Failed");
            p.getStatus().setReason("Evicted");
            p.getStatus().setMessage("The node was low on resource: ephemeral-storage.");
            p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())
                    || "ContainersReady".equals(c.getType())).forEach(c -> c.setStatus("False"));
            lab.store().updateStatus(p);
            return true;
        });
        await("evicted-pods has one slice without endpoints").atMost(SETTLE).until(() -> slices("evicted-pods"),
                s -> s.size() == 1 && (s.getFirst().getEndpoints() == null || s.getFirst().getEndpoints().isEmpty()));
        await().atMost(SETTLE).until(() -> lab.http(client1, u, 3), "refused"::equals);
        awaitFails(client1, direct);
        assertThat(lab.pod("evicted-pod").getStatus().getPhase()).as("phase after the node agent saw it").isEqualTo("Failed");
        assertThat(lab.http(client1, u, 3)).isEqualTo("refused");
    }

    private static List<EndpointSlice> slices(String service) {
        return lab.store().list(ResourceKinds.ENDPOINT_SLICE,
                new dev.knet.store.ListOptions("default", "kubernetes.io/service-name=" + service, null)).items();
    }

    private static void sctp() {
        await().atMost(SETTLE).until(() -> lab.store().list(ResourceKinds.ENDPOINT_SLICE, new dev.knet.store.ListOptions("default",
                "kubernetes.io/service-name=sctp", null)).items().stream().anyMatch(s -> s.getPorts() != null
                && s.getPorts().stream().anyMatch(p -> "SCTP".equals(p.getProtocol()) && p.getPort() == 5060)
                && s.getEndpoints() != null && s.getEndpoints().size() == 2));
        String vip = lab.clusterIp("sctp");
        await().atMost(SETTLE).until(() -> lab.exec(node1, "nft", "list", "map", "ip", "knet-services", "service-ips"),
                out -> out.contains(vip + " . sctp . 5060"));
        // A kernel with SCTP built in has /proc/net/sctp; this one's configuration leaves IP_SCTP out.
        Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/sctp")),
                "SCTP endpoints and nft rules checked; no SCTP packets: this kernel has no SCTP sockets (IP_SCTP not built)");
        Assumptions.abort("SCTP sockets exist here but knet's agnhost serves no SCTP yet: packets not checked");
    }

    // ---- helpers

    private static Coverage covered(Executable check) {
        return new Coverage.Covered(check);
    }

    private static Coverage notCovered(String reason) {
        return new Coverage.NotCovered(reason);
    }

    static String url(String ip, int port) {
        return "http://" + ip + ":" + port + "/hostname";
    }

    static String body(String result) {
        return result.startsWith("ok 200 ") ? result.substring("ok 200 ".length()) : null;
    }

    private static String loadBalancerIp(String service) {
        await().atMost(SETTLE).until(() -> lab.service(service).getStatus() != null
                && lab.service(service).getStatus().getLoadBalancer() != null
                && lab.service(service).getStatus().getLoadBalancer().getIngress() != null
                && !lab.service(service).getStatus().getLoadBalancer().getIngress().isEmpty());
        return lab.service(service).getStatus().getLoadBalancer().getIngress().getFirst().getIp();
    }

    static void awaitBody(String netns, String url, String expected) {
        await(url + " answers " + expected + " from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> lab.http(netns, url, 2), r -> r.equals("ok 200 " + expected));
    }

    static void awaitBodyStartsWith(String netns, String url, String prefix) {
        await(url + " answers " + prefix + "... from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> lab.http(netns, url, 2), r -> r.startsWith("ok 200 " + prefix));
    }

    static void awaitOk(String netns, String url) {
        await(url + " answers from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> lab.http(netns, url, 2), r -> r.startsWith("ok 200 "));
    }

    static void awaitStatus(String netns, String url, int status) {
        await(url + " answers " + status + " from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> lab.http(netns, url, 2), r -> r.startsWith("ok " + status + " "));
    }

    /** Until COUNT new connections reach exactly these endpoints (each at least once, nothing else). */
    static void awaitHostnames(String netns, String url, String... expected) {
        Set<String> want = new TreeSet<>(Arrays.asList(expected));
        await(url + " reaches " + want + " from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> spreadOf(netns, url, 8 * want.size()).keySet(), want::equals);
    }

    static Map<String, Integer> spreadOf(String netns, String url, int count) {
        return lab.spread(netns, url, count, 2);
    }

    static void awaitUdpAnswers(String netns, String host, int port, String... expected) {
        Set<String> want = new TreeSet<>(Arrays.asList(expected));
        Set<String> seen = new TreeSet<>();
        await(host + ":" + port + "/udp reaches " + want + " from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String r = lab.udp(netns, host, port, "hostname", 2);
                    if (r.startsWith("ok ")) {
                        seen.add(r.substring(3));
                    }
                    return seen;
                }, s -> s.equals(want));
    }

    static void awaitSticky(String netns, String url) {
        await(url + " sticks to one endpoint from " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> spreadOf(netns, url, 15), s -> s.size() == 1 && s.values().iterator().next() == 15
                        && !s.keySet().iterator().next().startsWith("!"));
    }

    static void awaitFails(String netns, String url) {
        await(url + " stops answering " + netns).atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> lab.http(netns, url, FAIL_TIMEOUT), r -> !r.startsWith("ok"));
    }

    static void assertFailsEveryTime(String netns, String url) {
        for (int i = 0; i < 3; i++) {
            assertThat(lab.http(netns, url, FAIL_TIMEOUT)).as(url + " from " + netns + ", attempt " + i).doesNotStartWith("ok");
        }
    }

    private static long endpointCount(String service) {
        List<EndpointSlice> slices = lab.store().list(ResourceKinds.ENDPOINT_SLICE,
                new dev.knet.store.ListOptions("default", "kubernetes.io/service-name=" + service, null)).items();
        return slices.stream().mapToLong(s -> s.getEndpoints() == null ? 0 : s.getEndpoints().size()).sum();
    }

    /** Reads, changes and writes a Service, retrying when a controller wrote it in between. */
    static void editService(String name, Consumer<Service> change) {
        await("edit service " + name).atMost(SETTLE).ignoreException(ApiException.Conflict.class).until(() -> {
            Service s = lab.service(name);
            if (s.getMetadata().getLabels() == null) {
                s.getMetadata().setLabels(new java.util.HashMap<>());
            }
            change.accept(s);
            lab.store().update(s);
            return true;
        });
    }

    private static void becomeClusterIp(Service s) {
        s.getSpec().setType("ClusterIP");
        s.getSpec().setExternalName(null);
        s.getSpec().setSelector(Map.of("app", "web"));
        s.getSpec().getPorts().forEach(p -> p.setTargetPort(new IntOrString("http")));
    }

    private static void becomeExternalName(Service s) {
        s.getSpec().setType("ExternalName");
        s.getSpec().setIpFamilies(null);
        s.getSpec().setIpFamilyPolicy(null);
        s.getSpec().setExternalTrafficPolicy(null);
        s.getSpec().setInternalTrafficPolicy(null);
        s.getSpec().setSessionAffinity(null);
        s.getSpec().setExternalName("web.default.svc.cluster.local");
        s.getSpec().setClusterIP(null);
        s.getSpec().setClusterIPs(null);
        s.getSpec().setSelector(null);
        s.getSpec().getPorts().forEach(p -> p.setNodePort(null));
    }

    static String service(String name, String app) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: default}
                spec:
                  selector: {app: %s}
                  ports: [{name: http, port: 80, targetPort: http}]
                """.formatted(name, app);
    }

    static String nodePortService(String name, int nodePort) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: default}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http%s}]
                """.formatted(name, nodePort == 0 ? "" : ", nodePort: " + nodePort);
    }

    static String pod(String name, String node, String app) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default, labels: {app: %s}}
                spec:
                  nodeName: %s
                  containers:
                  - name: agnhost
                    image: registry.k8s.io/e2e-test-images/agnhost:2.47
                    args: [netexec, --http-port=8080, --udp-port=8081]
                    ports: [{name: http, containerPort: 8080}, {name: udp, containerPort: 8081, protocol: UDP}]
                """.formatted(name, app, node);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ServiceBehavioursLabTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ServiceLab lab() {
        return lab;
    }
}
