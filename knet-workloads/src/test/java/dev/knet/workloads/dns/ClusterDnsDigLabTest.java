package dev.knet.workloads.dns;

import dev.knet.dns.ConformanceFixtures;
import dev.knet.dns.ConformanceRunner;
import dev.knet.dns.DigOutput;
import dev.knet.dns.FakeUpstream;
import dev.knet.dns.TestDnsClient.Answer;
import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.resolv.ResolvConf;
import dev.knet.dns.server.DnsServer;
import dev.knet.workloads.StubResolver;
import dev.knet.workloads.TestPods;
import dev.knet.workloads.pod.NetnsExecutor;
import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.PodSockets;
import io.netty.handler.codec.dns.DnsRecordType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query case of the DNS conformance file, asked by {@code dig} inside a pod-like network
 * namespace whose resolv.conf is the one the node agent writes for a ClusterFirst pod. The pod's
 * eth0 is a veth to a second namespace that holds the cluster DNS address (10.96.0.10) and runs
 * the cluster DNS pod's server ({@link ClusterDns#serve}); short e2e names go through
 * {@code dig +search}, so the search path and ndots of the written resolv.conf decide what is
 * asked. Needs root, iproute2 and dig (bind9-dnsutils).
 */
@Tag("lab")
class ClusterDnsDigLabTest {

    private static final String CLUSTER_DNS = "10.96.0.10";
    private static final String UNIQUE = "knet-dig" + UUID.randomUUID().toString().substring(0, 6);
    private static final String POD_NS = UNIQUE + "-pod";
    private static final String DNS_NS = UNIQUE + "-dns";
    private static final Path NETNS_ETC = Path.of("/etc/netns", POD_NS);
    private static final AtomicReference<ZoneSnapshot> ZONE = new AtomicReference<>();
    private static final List<String> CREATED = new ArrayList<>();
    private static Map<String, Object> doc;
    private static FakeUpstream upstream;
    private static DnsServer server;
    private static ResolvConf resolvConf;

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "lab test skipped: needs root to create network namespaces");
        Assumptions.assumeTrue(onPath("ip"), "lab test skipped: iproute2 'ip' is not installed");
        Assumptions.assumeTrue(onPath("dig"), "lab test skipped: dig is not installed (Debian: bind9-dnsutils)");
        doc = ConformanceFixtures.load();
        ZONE.set(new ClusterDnsIndex(ZoneSettings.defaults()).snapshot());
        try {
            plumb();
            PodSockets sockets = new PodSockets(DNS_NS, NetnsExecutor.kernel(), TestPods.LOOPS);
            InetAddress dnsIp = InetAddress.ofLiteral(CLUSTER_DNS);
            PodContext dnsPod = new PodContext("kube-system", "knet-dns", "knet-dns", dnsIp, DNS_NS, sockets,
                    StubResolver.empty(), Map.of(), dnsIp);
            // The upstream for ExternalName targets lives on the DNS namespace's loopback, as a node's resolver would.
            upstream = sockets.inNetns("fake upstream", () -> new FakeUpstream(ConformanceFixtures.externalDns(doc), false));
            server = ClusterDns.serve(dnsPod, ZONE::get, List.of(upstream.address()));
            // What the node agent writes for the querier pod (dnsPolicy ClusterFirst, the lab's node has no resolver).
            resolvConf = ConformanceRunner.querierResolvConf(CLUSTER_DNS);
            Files.createDirectories(NETNS_ETC);
            Files.writeString(NETNS_ETC.resolve("resolv.conf"), resolvConf.render());
        } catch (Exception | AssertionError e) {
            tearDown();
            throw e;
        }
    }

    /** pod ns: eth0 10.244.1.5/24, the service range on-link; dns ns: veth0 holding 10.96.0.10. */
    private static void plumb() throws IOException, InterruptedException {
        ip("netns", "add", POD_NS);
        CREATED.add(POD_NS);
        ip("netns", "add", DNS_NS);
        CREATED.add(DNS_NS);
        ip("-n", DNS_NS, "link", "add", "veth0", "type", "veth", "peer", "name", "eth0", "netns", POD_NS);
        ip("-n", POD_NS, "addr", "add", ConformanceFixtures.QUERIER_IP + "/24", "dev", "eth0");
        ip("-n", POD_NS, "link", "set", "lo", "up");
        ip("-n", POD_NS, "link", "set", "eth0", "up");
        ip("-n", POD_NS, "route", "add", "10.96.0.0/16", "dev", "eth0");
        ip("-n", DNS_NS, "addr", "add", CLUSTER_DNS + "/32", "dev", "veth0");
        ip("-n", DNS_NS, "link", "set", "lo", "up");
        ip("-n", DNS_NS, "link", "set", "veth0", "up");
        ip("-n", DNS_NS, "route", "add", "10.244.1.0/24", "dev", "veth0");
    }

    @AfterAll
    static void tearDown() throws IOException, InterruptedException {
        try {
            if (server != null) {
                server.close();
            }
            if (upstream != null) {
                upstream.close();
            }
        } finally {
            for (String ns : List.copyOf(CREATED)) {
                ip("netns", "del", ns);
                CREATED.remove(ns);
            }
            if (Files.exists(NETNS_ETC)) {
                try (Stream<Path> files = Files.walk(NETNS_ETC)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseAnsweredToDigInThePod() {
        ConformanceRunner runner = new ConformanceRunner(doc, ZONE::set);
        assertThat(runner.cases()).hasSizeGreaterThan(40);
        ConformanceRunner.Resolver dig = new ConformanceRunner.Resolver() {
            @Override
            public Answer ask(String absoluteName, int type, String transport) throws Exception {
                return dig(transport, "+nosearch", absoluteName, type);
            }

            @Override
            public Answer search(String name, int type, String transport) throws Exception {
                return dig(transport, "+search", name, type);
            }
        };
        return runner.cases().stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> runner.run(c, dig)));
    }

    @TestFactory
    Stream<DynamicTest> theWrittenResolvConfIsWhatDigReads() {
        return Stream.of(DynamicTest.dynamicTest("nameserver, search path and ndots", () -> {
            String inside = run(List.of("ip", "netns", "exec", POD_NS, "cat", "/etc/resolv.conf"));
            assertThat(ResolvConf.parse(inside)).isEqualTo(resolvConf);
            assertThat(resolvConf.nameservers()).containsExactly(CLUSTER_DNS);
            assertThat(resolvConf.options()).contains("ndots:5");
        }));
    }

    /** Runs dig in the pod against the nameserver of its resolv.conf and reads its sections. */
    private static Answer dig(String transport, String search, String name, int type) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", POD_NS, "dig", "+time=2", "+tries=2",
                transport.equals("tcp") ? "+tcp" : "+notcp", search, name, DnsRecordType.valueOf(type).name()));
        return DigOutput.parse(run(argv));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        return Stream.of((path + ":/usr/sbin:/sbin").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        run(argv);
    }

    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(argv + " timed out");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(argv + " failed (" + process.exitValue() + "): " + text);
        }
        return text;
    }
}
