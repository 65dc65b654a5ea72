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
    @SuppressWarnings("unchecked")
    public void run(Map<String, Object> c, Resolver resolver) throws Exception {
        String id = (String) c.get("id");
        boolean e2e = "e2e".equals(c.get("fixture"));
        List<HasMetadata> objects = e2e ? ConformanceFixtures.e2e(fixture("e2e")) : ConformanceFixtures.spec(fixture("spec"));
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        index.replaceAll(objects);
        mutate(id, index, objects);
        publish.accept(index.snapshot());

        Map<String, Object> query = (Map<String, Object>) c.get("query");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        int type = DnsRecordType.valueOf((String) query.get("type")).intValue();
        String name = resolvePlaceholders((String) query.get("name"), resolver);
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
                    want.add(format(rr, resolver));
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
            case "e2e-externalname-to-clusterip" -> index.upsert(ConformanceFixtures.service(Map.of(
                    "name", "dns-test-service-3", "type", "ClusterIP", "clusterIP", "10.96.7.3",
                    "ports", List.of(Map.of("name", "http", "port", 80, "protocol", "TCP"))), ConformanceFixtures.E2E_NS));
            default -> { }
        }
    }

    private static void checkRcode(String id, Map<String, Object> expect, Answer answer) {
        Object one = expect.get("rcode");
        @SuppressWarnings("unchecked")
        List<String> oneOf = one != null ? List.of((String) one) : (List<String>) expect.get("rcode_one_of");
        assertThat(oneOf).as(id + " rcode").contains(dev.knet.dns.wire.Rcode.name(answer.rcode()));
    }

    private static String resolvePlaceholders(String name, Resolver resolver) throws Exception {
        String n = name.replace("<ns>", ConformanceFixtures.E2E_NS)
                .replace("<a-b-c-d>", ConformanceFixtures.QUERIER_IP.replace('.', '-'))
                .replace("<reversed ClusterIP of test-service-2>",
                        DnsNames.reverseName(IpAddresses.parse(ConformanceFixtures.TEST_SERVICE_2_IP)).replace(".in-addr.arpa", ""));
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

    private static String format(Map<String, Object> rr, Resolver resolver) throws Exception {
        String name = resolvePlaceholders((String) rr.get("name"), resolver);
        String type = (String) rr.get("type");
        if (type.equals("SRV")) {
            return name + " SRV " + rr.get("port") + " " + resolvePlaceholders((String) rr.get("target"), resolver);
        }
        String data = String.valueOf(rr.get("data")).replace("<new ClusterIP>", "10.96.7.3");
        if (type.equals("AAAA") || type.equals("A")) {
            data = IpAddresses.format(IpAddresses.parse(data));
        }
        return name + " " + type + " " + data;
    }
}
