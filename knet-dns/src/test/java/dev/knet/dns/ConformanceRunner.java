package dev.knet.dns;

import dev.knet.dns.TestDnsClient.Answer;
import dev.knet.dns.TestDnsClient.Rr;
import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.DnsNames;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.resolv.ResolvConf;
import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.netty.handler.codec.dns.DnsRecordType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the query cases of the conformance file against any way of asking a server: each case's
 * fixture becomes the zone (handed to {@code publish}), its question is asked over UDP and TCP,
 * and the answer must match. Names of the e2e fixture are short names that a resolver in the
 * querier pod expands with its search path ({@link Resolver#search}); spec names are absolute.
 * Shared by the in-process conformance test and the lab test that runs dig inside a pod.
 */
public final class ConformanceRunner {

    /** How the cases ask; transport is "udp" or "tcp". */
    public interface Resolver {
        /** Asks for an absolute name (with its trailing dot) as is. */
        Answer ask(String absoluteName, int type, String transport) throws Exception;

        /** Asks as a resolver in the querier pod would, expanding a short name with the pod's resolv.conf. */
        Answer search(String name, int type, String transport) throws Exception;
    }

    /**
     * What the e2e cases' placeholders stand for: the fixture's own addresses in process, the
     * cluster's allocations in a lab.
     */
    public record Placeholders(String namespace, String querierIp, String testService2Ip, String newClusterIp) {
        public static final Placeholders FIXTURE = new Placeholders(ConformanceFixtures.E2E_NS,
                ConformanceFixtures.QUERIER_IP, ConformanceFixtures.TEST_SERVICE_2_IP, NEW_CLUSTER_IP);
    }

    /** The address the e2e test gives dns-test-service-3 when it turns from ExternalName into ClusterIP. */
    public static final String NEW_CLUSTER_IP = "10.96.7.3";

    private static final Pattern ID_OF = Pattern.compile("<id-of-([^>]+)>\\.(.*)");

    private final Map<String, Object> doc;
    private final Consumer<ZoneSnapshot> publish;

    public ConformanceRunner(Map<String, Object> doc, Consumer<ZoneSnapshot> publish) {
        this.doc = doc;
        this.publish = publish;
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) doc.get("cases");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fixture(String name) {
        return (Map<String, Object>) ((Map<String, Object>) doc.get("fixtures")).get(name);
    }

    /** The resolv.conf of the e2e querier pod: ClusterFirst in the test namespace. */
    public static ResolvConf querierResolvConf(String clusterDnsIp) {
        Pod querier = new PodBuilder().withNewMetadata().withName("q").withNamespace(ConformanceFixtures.E2E_NS)
                .endMetadata().withNewSpec().endSpec().build();
        return ResolvConf.forPod(querier, clusterDnsIp, "cluster.local", ResolvConf.empty());
    }

    /** Publishes the case's zone, then asks its question over UDP and TCP and checks the answers. */
    public void run(Map<String, Object> c, Resolver resolver) throws Exception {
        boolean e2e = "e2e".equals(c.get("fixture"));
        List<HasMetadata> objects = e2e ? ConformanceFixtures.e2e(fixture("e2e")) : ConformanceFixtures.spec(fixture("spec"));
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        index.replaceAll(objects);
        changesBefore((String) c.get("id")).forEach(index::upsert);
        publish.accept(index.snapshot());
        ask(c, resolver, Placeholders.FIXTURE);
    }

    /** Asks the case's question over UDP and TCP of a zone that already holds its fixture, and checks the answers. */
    @SuppressWarnings("unchecked")
    public void ask(Map<String, Object> c, Resolver resolver, Placeholders at) throws Exception {
        String id = (String) c.get("id");
        boolean e2e = "e2e".equals(c.get("fixture"));
        Map<String, Object> query = (Map<String, Object>) c.get("query");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        int type = DnsRecordType.valueOf((String) query.get("type")).intValue();
        String name = resolvePlaceholders((String) query.get("name"), resolver, at);
        for (String transport : List.of("udp", "tcp")) {
            Answer answer = e2e && !name.endsWith(".") ? resolver.search(name, type, transport)
                    : resolver.ask(name, type, transport);
            checkRcode(id, expect, answer);
            Object expected = expect.get("answer");
            if ("non-empty".equals(c.get("answer_match")) || expected instanceof String) {
                assertThat(answer.answers()).as(id + " answer over " + transport).isNotEmpty();
            } else {
                List<String> want = new ArrayList<>();
                for (Map<String, Object> rr : (List<Map<String, Object>>) expected) {
                    want.add(format(rr, resolver, at));
                }
                List<String> got = answer.answers().stream().map(ConformanceRunner::format).toList();
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

    /**
     * The objects some e2e cases change before asking (their notes say which): dns-test-service-3
     * as that case's e2e step leaves it. Empty for every other case.
     */
    public static List<Service> changesBefore(String id) {
        return switch (id) {
            case "e2e-externalname-cname-updated" -> List.of(ConformanceFixtures.service(Map.of(
                    "name", "dns-test-service-3", "type", "ExternalName", "externalName", "bar.example.com"),
                    ConformanceFixtures.E2E_NS));
            case "e2e-externalname-to-clusterip" -> List.of(ConformanceFixtures.service(Map.of(
                    "name", "dns-test-service-3", "type", "ClusterIP", "clusterIP", NEW_CLUSTER_IP,
                    "ports", List.of(Map.of("name", "http", "port", 80, "protocol", "TCP"))), ConformanceFixtures.E2E_NS));
            default -> List.of();
        };
    }

    private static void checkRcode(String id, Map<String, Object> expect, Answer answer) {
        Object one = expect.get("rcode");
        @SuppressWarnings("unchecked")
        List<String> oneOf = one != null ? List.of((String) one) : (List<String>) expect.get("rcode_one_of");
        assertThat(oneOf).as(id + " rcode").contains(dev.knet.dns.wire.Rcode.name(answer.rcode()));
    }

    private static String resolvePlaceholders(String name, Resolver resolver, Placeholders at) throws Exception {
        String n = name.replace("<ns>", at.namespace())
                .replace("<a-b-c-d>", at.querierIp().replace('.', '-'))
                .replace("<reversed ClusterIP of test-service-2>",
                        DnsNames.reverseName(IpAddresses.parse(at.testService2Ip())).replace(".in-addr.arpa", ""));
        Matcher m = ID_OF.matcher(n);
        if (m.matches()) {
            n = discoverId(m.group(1), m.group(2), resolver) + "." + m.group(2);
        }
        return n;
    }

    /** The spec leaves generated hostnames open: find the one whose address matches, through SRV. */
    private static String discoverId(String ip, String serviceName, Resolver resolver) throws Exception {
        Answer srv = resolver.ask("_https._tcp." + serviceName, DnsRecordType.SRV.intValue(), "udp");
        for (Rr rr : srv.answers()) {
            String target = rr.data().substring(rr.data().lastIndexOf(' ') + 1);
            Answer a = resolver.ask(target, DnsRecordType.A.intValue(), "udp");
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

    private static String format(Map<String, Object> rr, Resolver resolver, Placeholders at) throws Exception {
        String name = resolvePlaceholders((String) rr.get("name"), resolver, at);
        String type = (String) rr.get("type");
        if (type.equals("SRV")) {
            return name + " SRV " + rr.get("port") + " " + resolvePlaceholders((String) rr.get("target"), resolver, at);
        }
        String data = String.valueOf(rr.get("data")).replace("<new ClusterIP>", at.newClusterIp());
        if (type.equals("AAAA") || type.equals("A")) {
            data = IpAddresses.format(IpAddresses.parse(data));
        }
        return name + " " + type + " " + data;
    }
}
