package dev.knet.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.resolv.PodHosts;
import dev.knet.dns.resolv.ResolvConf;
import dev.knet.dns.server.DnsServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netty.handler.codec.dns.DnsRecordType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The conformance file's /etc/hosts, hostname and resolv.conf cases, resolving against a real server where they resolve. */
class PodDnsConfigConformanceTest {

    private static final String NS = ConformanceFixtures.E2E_NS;
    private static Map<String, Object> doc;
    private static DnsServer server;
    private static TestDnsClient client;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        doc = ConformanceFixtures.load();
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        List<HasMetadata> objects = new ArrayList<>(ConformanceFixtures.e2e(
                (Map<String, Object>) ((Map<String, Object>) doc.get("fixtures")).get("e2e")));
        // docs-pod-subdomain-without-hostname: a headless Service named like a hostname-less pod's subdomain
        objects.add(ConformanceFixtures.service(Map.of("name", "default-subdomain", "type", "ClusterIP", "clusterIP", "None",
                "selector", Map.of("app", "sub"), "ports", List.of()), NS));
        objects.add(new PodBuilder().withNewMetadata().withName("busybox-sub").withNamespace(NS)
                .withLabels(Map.of("app", "sub")).endMetadata().withNewSpec().withSubdomain("default-subdomain").endSpec()
                .withNewStatus().withPodIP("10.244.1.9").endStatus().build());
        index.replaceAll(objects);
        server = DnsServer.builder().zone(index::snapshot).listen(new InetSocketAddress("127.0.0.1", 0)).threads(1)
                .build().start();
        client = new TestDnsClient(server.address());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> podHostsCases() {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.get("pod_hosts_cases");
        assertThat(cases).isNotEmpty();
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> {
            Map<String, Object> p = (Map<String, Object>) c.get("pod");
            Pod pod = new PodBuilder().withNewMetadata().withName("dns-test-1234").withNamespace(NS).endMetadata()
                    .withNewSpec().withHostname((String) p.get("hostname")).withSubdomain((String) p.get("subdomain"))
                    .withHostNetwork((Boolean) p.get("hostNetwork")).endSpec()
                    .withNewStatus().withPodIP("10.244.1.5").endStatus().build();
            String lookup = ((String) c.get("lookup")).replace("<ns>", NS);
            if (lookup.startsWith("hostname")) {
                String expected = Boolean.TRUE.equals(p.get("hostNetwork")) ? "node-1" : (String) p.get("hostname");
                assertThat(PodHosts.hostname(pod, "node-1")).isEqualTo(expected);
            } else {
                String hosts = PodHosts.etcHosts(pod, "cluster.local", "");
                assertThat(hosts.lines().filter(l -> l.startsWith("10.244.1.5\t"))
                        .flatMap(l -> Stream.of(l.split("\t")).skip(1))).contains(lookup);
            }
        }));
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> resolvConfCases() {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.get("pod_resolv_conf_cases");
        assertThat(cases).isNotEmpty();
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> runResolvCase(c)));
    }

    @SuppressWarnings("unchecked")
    private void runResolvCase(Map<String, Object> c) throws Exception {
        Map<String, Object> p = (Map<String, Object>) c.get("pod");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        if (expect.containsKey("records")) {
            subdomainWithoutHostname();
            return;
        }
        String ns = p.containsKey("namespace") ? (String) p.get("namespace") : NS;
        String policy = p.get("dnsPolicy") == null ? null : ((String) p.get("dnsPolicy")).replace(" (default)", "");
        var spec = new PodBuilder().withNewMetadata().withName("p").withNamespace(ns).endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork((Boolean) p.get("hostNetwork")).endSpec().build();
        Map<String, Object> cfg = (Map<String, Object>) p.get("dnsConfig");
        if (cfg != null) {
            spec.getSpec().setDnsConfig(ConformanceFixtures.dnsConfig(cfg, "10.244.2.7"));
        }
        ResolvConf node = new ResolvConf(List.of("192.0.2.1"), List.of(), List.of());
        ResolvConf rc = ResolvConf.forPod(spec, "10.96.0.10", "cluster.local", node);
        String text = rc.render();
        for (String line : (List<String>) expect.getOrDefault("resolv_conf_contains", List.of())) {
            assertThat(text).contains(line);
        }
        Map<String, Object> exact = (Map<String, Object>) expect.get("resolv_conf");
        if (exact != null) {
            String nameserver = ((String) exact.get("nameserver")).replace("<cluster DNS service IP>", "10.96.0.10");
            assertThat(rc.nameservers()).containsExactly(nameserver);
            assertThat(rc.searches()).containsExactlyElementsOf((List<String>) exact.get("search"));
            assertThat(rc.options()).containsExactlyElementsOf((List<String>) exact.get("options"));
        }
        for (String name : (List<String>) expect.getOrDefault("resolves", List.of())) {
            boolean srv = name.endsWith(" (SRV)");
            String n = name.replace(" (SRV)", "").replace("<ns>", NS);
            int type = (srv ? DnsRecordType.SRV : DnsRecordType.A).intValue();
            for (String transport : List.of("udp", "tcp")) {
                var answer = DnsConformanceTest.searchExpanded(rc, n, type, transport, client);
                assertThat(answer.answers()).as(n + " over " + transport + " with\n" + text).isNotEmpty();
            }
        }
    }

    /** docs-pod-subdomain-without-hostname: only the service name gets the pod IP; no per-pod name. */
    private void subdomainWithoutHostname() throws Exception {
        var service = client.udp("default-subdomain." + NS + ".svc.cluster.local.", 1, 1232);
        assertThat(service.answers()).extracting(TestDnsClient.Rr::data).containsExactly("10.244.1.9");
        var perPod = client.udp("busybox-sub.default-subdomain." + NS + ".svc.cluster.local.", 1, 1232);
        assertThat(perPod.rcode()).isEqualTo(3);
    }
}
