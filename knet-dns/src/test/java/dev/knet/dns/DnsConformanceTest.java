package dev.knet.dns;

import dev.knet.dns.TestDnsClient.Answer;
import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.resolv.ResolvConf;
import dev.knet.dns.server.DnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
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
    static void start() throws Exception {
        doc = ConformanceFixtures.load();
        upstream = new FakeUpstream(ConformanceFixtures.externalDns(doc), false);
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

    @TestFactory
    Stream<DynamicTest> queryCases() {
        ConformanceRunner runner = new ConformanceRunner(doc, ZONE::set);
        assertThat(runner.cases()).hasSizeGreaterThan(40);
        ResolvConf querier = ConformanceRunner.querierResolvConf("10.96.0.10");
        ConformanceRunner.Resolver resolver = new ConformanceRunner.Resolver() {
            @Override
            public Answer ask(String absoluteName, int type, String transport) throws Exception {
                return DnsConformanceTest.ask(client, absoluteName, type, transport);
            }

            @Override
            public Answer search(String name, int type, String transport) throws Exception {
                return searchExpanded(querier, name, type, transport, client);
            }
        };
        return runner.cases().stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> runner.run(c, resolver)));
    }

    private static Answer ask(TestDnsClient c, String name, int type, String transport) throws Exception {
        return transport.equals("udp") ? c.udp(name, type, 1232) : c.tcp(name, type);
    }

    /** glibc's order: a name with fewer dots than ndots tries the search list first, then itself. */
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
}
