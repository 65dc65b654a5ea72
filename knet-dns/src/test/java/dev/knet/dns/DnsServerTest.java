package dev.knet.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.server.DnsServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Server behaviour over loopback: size limits, truncation, EDNS, REFUSED, forwarding, metrics. */
class DnsServerTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** A headless Service with {@code n} ready endpoints: its A answer grows 16 bytes per endpoint. */
    private static List<HasMetadata> bigHeadless(int n) {
        var slice = new EndpointSliceBuilder().withNewMetadata().withName("big-1").withNamespace("default")
                .withLabels(Map.of("kubernetes.io/service-name", "big")).endMetadata().withAddressType("IPv4");
        for (int i = 0; i < n; i++) {
            slice.addToEndpoints(new EndpointBuilder().withAddresses("10.244." + (i / 250) + "." + (i % 250 + 1)).build());
        }
        return List.of(new ServiceBuilder().withNewMetadata().withName("big").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build(), slice.build());
    }

    private TestDnsClient serve(List<HasMetadata> objects, List<InetSocketAddress> upstreams) throws Exception {
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        index.replaceAll(objects);
        DnsServer server = DnsServer.builder().zone(index::snapshot).listen(new InetSocketAddress("127.0.0.1", 0))
                .upstreams(upstreams).upstreamTimeout(Duration.ofMillis(300)).threads(2).build().start();
        open.add(server);
        lastServer = server;
        return new TestDnsClient(server.address());
    }

    private DnsServer lastServer;

    record SizeRow(String name, int endpoints, int edns, boolean truncated, int maxSize) {
    }

    @Test
    void udpAnswersRespectTheSizeLimitAndSetTcWhenTheyDoNotFit() throws Exception {
        TestDnsClient client = serve(bigHeadless(100), List.of());
        List<SizeRow> rows = List.of(
                new SizeRow("no EDNS: 512 bytes, 100 A records do not fit", 100, 0, true, 512),
                new SizeRow("EDNS 4096 capped at 1232: still too big", 100, 4096, true, 1232),
                new SizeRow("EDNS 1232: fits 20 records", 20, 1232, false, 1232),
                new SizeRow("no EDNS: 20 records fit in 512", 20, 0, false, 512),
                new SizeRow("EDNS below 512 counts as 512", 20, 100, false, 512));
        for (SizeRow row : rows) {
            client = serve(bigHeadless(row.endpoints()), List.of());
            var answer = client.udp("big.default.svc.cluster.local.", 1, row.edns());
            assertThat(answer.tc()).as(row.name()).isEqualTo(row.truncated());
            assertThat(answer.size()).as(row.name()).isLessThanOrEqualTo(row.maxSize());
            assertThat(answer.answers()).as(row.name()).hasSize(row.truncated() ? 0 : row.endpoints());
            assertThat(answer.additional().stream().anyMatch(r -> r.type().equals("OPT")))
                    .as(row.name() + ": OPT echoed only to EDNS clients").isEqualTo(row.edns() > 0);
        }
        var overTcp = client.tcp("big.default.svc.cluster.local.", 1);
        assertThat(overTcp.tc()).isFalse();
        assertThat(overTcp.answers()).hasSize(20);
        client = serve(bigHeadless(100), List.of());
        assertThat(client.tcp("big.default.svc.cluster.local.", 1).answers()).as("TCP carries all").hasSize(100);
    }

    @Test
    void outOfZoneNamesAreRefusedWithoutUpstream() throws Exception {
        TestDnsClient client = serve(List.of(), List.of());
        for (String transport : List.of("udp", "tcp")) {
            var answer = transport.equals("udp") ? client.udp("www.example.com.", 1, 1232) : client.tcp("www.example.com.", 1);
            assertThat(answer.rcode()).as(transport).isEqualTo(5);
            assertThat(answer.answers()).isEmpty();
        }
        assertThat(client.udp("9.9.9.10.in-addr.arpa.", 12, 0).rcode()).as("unknown reverse name").isEqualTo(5);
    }

    @Test
    void outOfZoneNamesAreForwardedOverUdpAndTcp() throws Exception {
        var fake = new FakeUpstream(Map.of("www.example.com", Map.of("A", List.of("192.0.2.53"))), false);
        open.add(fake);
        TestDnsClient client = serve(List.of(), List.of(fake.address()));
        var udp = client.udp("www.example.com.", 1, 1232);
        assertThat(udp.rcode()).isZero();
        assertThat(udp.answers()).extracting(TestDnsClient.Rr::data).containsExactly("192.0.2.53");
        var tcp = client.tcp("www.example.com.", 1);
        assertThat(tcp.answers()).extracting(TestDnsClient.Rr::data).containsExactly("192.0.2.53");
        assertThat(client.udp("nosuch.example.com.", 1, 0).rcode()).as("upstream NXDOMAIN relayed").isEqualTo(3);
        assertThat(fake.udpQueries.get()).isEqualTo(2);
        assertThat(fake.tcpQueries.get()).isEqualTo(1);
    }

    @Test
    void aSilentUpstreamGivesServfailAfterTryingEachServer() throws Exception {
        var silent1 = new FakeUpstream(Map.of(), true);
        var silent2 = new FakeUpstream(Map.of(), true);
        open.add(silent1);
        open.add(silent2);
        TestDnsClient client = serve(List.of(), List.of(silent1.address(), silent2.address()));
        assertThat(client.udp("www.example.com.", 1, 1232).rcode()).isEqualTo(2);
        assertThat(silent1.udpQueries.get()).isEqualTo(1);
        assertThat(silent2.udpQueries.get()).isEqualTo(1);
    }

    @Test
    void malformedQueriesGetFormerrAndMetricsCountThem() throws Exception {
        TestDnsClient client = serve(List.of(), List.of());
        byte[] query = TestDnsClient.encodeQuery(0x1234, "kubernetes.default.svc.cluster.local.", 1, 0);
        byte[] cut = java.util.Arrays.copyOf(query, 20);
        var answer = client.udpRaw(cut);
        assertThat(answer.rcode()).isEqualTo(1);
        client.udp("dns-version.cluster.local.", 16, 0);
        assertThat(lastServer.metrics().scrape())
                .contains("knet_dns_queries_total{rcode=\"FORMERR\",transport=\"udp\",type=\"other\"} 1.0")
                .contains("knet_dns_queries_total{rcode=\"NOERROR\",transport=\"udp\",type=\"TXT\"} 1.0")
                .contains("knet_dns_request_duration_seconds_bucket");
    }
}
