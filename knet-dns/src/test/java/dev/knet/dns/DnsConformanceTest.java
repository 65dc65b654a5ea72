package dev.knet.dns;

import dev.knet.dns.TestDnsClient.Answer;
import dev.knet.dns.TestDnsClient.Rr;
import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.DnsNames;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.resolv.ResolvConf;
import dev.knet.dns.server.DnsServer;
import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.netty.handler.codec.dns.DnsRecordType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query case of the conformance file, asked over UDP (with EDNS) and TCP of a real server on
 * loopback, read back with Netty's codec. Names of the e2e fixture are expanded with the querier
 * pod's ClusterFirst resolv.conf, the way a resolver in that pod would.
 */
class DnsConformanceTest {

    private static Map<String, Object> doc;
    private static final AtomicReference<ZoneSnapshot> ZONE = new AtomicReference<>();
    private static FakeUpstream upstream;
    private static DnsServer server;
    private static TestDnsClient client;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        doc = ConformanceFixtures.load();
        var external = (Map<String, Map<String, List<String>>>)
                ((Map<String, Object>) ((Map<String, Object>) doc.get("fixtures")).get("spec")).get("external_dns");
        Map<String, Map<String, List<String>>> table = new HashMap<>(external);
        upstream = new FakeUpstream(table, false);
        ZONE.set(new ClusterDnsIndex(ZoneSettings.defaults()).snapshot());
        server = DnsServer.builder().zone(ZONE::get).listen(new InetSocketAddress("127.0.0.1", 0))
                .upstreams(List.of(upstream.address())).threads(1).build().start();
        client = new TestDnsClient(server.address());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture(String name) {
        return (Map<String, Object>) ((Map<String, Object>) doc.get("fixtures")).get(name);
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> queryCases() {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.get("cases");
        assertThat(cases).hasSizeGreaterThan(40);
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> runCase(c)));
    }

    @SuppressWarnings("unchecked")
    private void runCase(Map<String, Object> c) throws Exception {
        String id = (String) c.get("id");
        boolean e2e = "e2e".equals(c.get("fixture"));
        List<HasMetadata> objects = e2e ? ConformanceFixtures.e2e(fixture("e2e")) : ConformanceFixtures.spec(fixture("spec"));
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        index.replaceAll(objects);
        mutate(id, index, objects);
        ZONE.set(index.snapshot());

        Map<String, Object> query = (Map<String, Object>) c.get("query");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        int type = DnsRecordType.valueOf((String) query.get("type")).intValue();
        String name = resolvePlaceholders((String) query.get("name"));
        for (String transport : List.of("udp", "tcp")) {
            Answer answer = e2e ? searchExpanded(name, type, transport) : ask(name, type, transport);
            checkRcode(id, expect, answer);
            Object expected = expect.get("answer");
            if ("non-empty".equals(c.get("answer_match")) || expected instanceof String) {
                assertThat(answer.answers()).as(id + " answer over " + transport).isNotEmpty();
            } else {
                List<String> want = new ArrayList<>();
                for (Map<String, Object> rr : (List<Map<String, Object>>) expected) {
                    want.add(format(rr));
                }
                List<String> got = answer.answers().stream().map(DnsConformanceTest::format).toList();
                assertThat(got).as(id + " answer over " + transport).containsExactlyInAnyOrderElementsOf(want);
                if (!got.isEmpty() && want.getFirst().contains(" CNAME ")) {
                    assertThat(got.getFirst()).as(id + ": CNAME comes first").contains(" CNAME ");
                }
            }
            if (answer.answers().isEmpty() && name.toLowerCase().endsWith("cluster.local.")) {
                assertThat(answer.hasSoaAuthority()).as(id + ": negative answers carry the SOA").isTrue();
            }
        }
    }

    /** The changes some e2e cases make before asking (their notes say which). */
    private static void mutate(String id, ClusterDnsIndex index, List<HasMetadata> objects) {
        Service svc3 = objects.stream().filter(o -> o instanceof Service s && s.getMetadata().getName().equals("dns-test-service-3"))
                .map(Service.class::cast).findFirst().orElse(null);
        if (svc3 == null) {
            return;
        }
        switch (id) {
            case "e2e-externalname-cname-updated" -> {
                svc3.getSpec().setExternalName("bar.example.com");
                index.upsert(svc3);
            }
            case "e2e-externalname-to-clusterip" -> {
                index.upsert(ConformanceFixtures.service(Map.of("name", "dns-test-service-3", "type", "ClusterIP",
                        "clusterIP", "10.96.7.3", "ports", List.of(Map.of("name", "http", "port", 80, "protocol", "TCP"))),
                        ConformanceFixtures.E2E_NS));
            }
            default -> { }
        }
    }

    private static void checkRcode(String id, Map<String, Object> expect, Answer answer) {
        Object one = expect.get("rcode");
        @SuppressWarnings("unchecked")
        List<String> oneOf = one != null ? List.of((String) one) : (List<String>) expect.get("rcode_one_of");
        assertThat(oneOf).as(id + " rcode").contains(rcodeName(answer.rcode()));
    }

    private static String rcodeName(int rcode) {
        return dev.knet.dns.wire.Rcode.name(rcode);
    }

    private static Answer ask(String name, int type, String transport) throws Exception {
        return ask(client, name, type, transport);
    }

    private static Answer ask(TestDnsClient c, String name, int type, String transport) throws Exception {
        return transport.equals("udp") ? c.udp(name, type, 1232) : c.tcp(name, type);
    }

    /** glibc's order: a name with fewer dots than ndots tries the search list first, then itself. */
    private static Answer searchExpanded(String name, int type, String transport) throws Exception {
        Pod querier = new PodBuilder().withNewMetadata().withName("q").withNamespace(ConformanceFixtures.E2E_NS)
                .endMetadata().withNewSpec().endSpec().build();
        ResolvConf rc = ResolvConf.forPod(querier, "10.96.0.10", "cluster.local", ResolvConf.empty());
        return searchExpanded(rc, name, type, transport, client);
    }

    static Answer searchExpanded(ResolvConf rc, String name, int type, String transport, TestDnsClient c)
            throws Exception {
        if (name.endsWith(".")) {
            return ask(c, name, type, transport);
        }
        int ndots = rc.options().stream().filter(o -> o.startsWith("ndots:")).map(o -> Integer.parseInt(o.substring(6)))
                .findFirst().orElse(1);
        List<String> candidates = new ArrayList<>();
        long dots = name.chars().filter(ch -> ch == '.').count();
        if (dots >= ndots) {
            candidates.add(name + ".");
        }
        for (String s : rc.searches()) {
            candidates.add(name + "." + s + ".");
        }
        if (dots < ndots) {
            candidates.add(name + ".");
        }
        Answer last = null;
        for (String candidate : candidates) {
            last = ask(c, candidate, type, transport);
            if (last.rcode() == 0 && !last.answers().isEmpty()) {
                return last;
            }
        }
        return last;
    }

    private String resolvePlaceholders(String name) throws Exception {
        String n = name.replace("<ns>", ConformanceFixtures.E2E_NS)
                .replace("<a-b-c-d>", ConformanceFixtures.QUERIER_IP.replace('.', '-'))
                .replace("<reversed ClusterIP of test-service-2>",
                        DnsNames.reverseName(IpAddresses.parse(ConformanceFixtures.TEST_SERVICE_2_IP)).replace(".in-addr.arpa", ""));
        var m = java.util.regex.Pattern.compile("<id-of-([^>]+)>\\.(.*)").matcher(n);
        if (m.matches()) {
            n = discoverId(m.group(1), m.group(2)) + "." + m.group(2);
        }
        return n;
    }

    /** The spec leaves generated hostnames open: find the one whose address matches, through SRV. */
    private String discoverId(String ip, String serviceName) throws Exception {
        Answer srv = client.udp("_https._tcp." + serviceName, DnsRecordType.SRV.intValue(), 1232);
        for (Rr rr : srv.answers()) {
            String target = rr.data().substring(rr.data().lastIndexOf(' ') + 1);
            Answer a = client.udp(target, DnsRecordType.A.intValue(), 1232);
            if (a.answers().stream().anyMatch(r -> r.data().equals(ip))) {
                return target.substring(0, target.indexOf('.'));
            }
        }
        throw new AssertionError("no SRV target of " + serviceName + " has address " + ip);
    }

    private static String format(Rr rr) {
        if (rr.type().equals("SRV")) {
            String[] f = rr.data().split(" ");
            return rr.name() + " SRV " + f[2] + " " + f[3];
        }
        return rr.name() + " " + rr.type() + " " + rr.data();
    }

    private String format(Map<String, Object> rr) {
        try {
            String name = resolvePlaceholders((String) rr.get("name"));
            String type = (String) rr.get("type");
            if (type.equals("SRV")) {
                return name + " SRV " + rr.get("port") + " " + resolvePlaceholders((String) rr.get("target"));
            }
            String data = String.valueOf(rr.get("data")).replace("<new ClusterIP>", "10.96.7.3");
            if (type.equals("AAAA") || type.equals("A")) {
                data = IpAddresses.format(IpAddresses.parse(data));
            }
            return name + " " + type + " " + data;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
