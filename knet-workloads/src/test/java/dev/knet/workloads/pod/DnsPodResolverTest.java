package dev.knet.workloads.pod;

import dev.knet.workloads.TestPods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsPodResolverTest {

    private static final String RESOLV = """
            nameserver 127.0.0.1
            search default.svc.cluster.local svc.cluster.local cluster.local
            options ndots:5
            """;
    private static FakeDns dns;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new FakeDns(Map.of("details.default.svc.cluster.local.", "10.96.0.20",
                "ratings.other.svc.cluster.local.", "10.96.0.30"));
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    static Stream<Arguments> candidates() {
        return Stream.of(
                Arguments.of("short name: search list first", "details", 5, List.of(
                        "details.default.svc.cluster.local.", "details.svc.cluster.local.",
                        "details.cluster.local.", "details.")),
                Arguments.of("enough dots: as is first", "a.b.c", 2, List.of("a.b.c.",
                        "a.b.c.default.svc.cluster.local.", "a.b.c.svc.cluster.local.", "a.b.c.cluster.local.")),
                Arguments.of("trailing dot: only itself", "example.org.", 5, List.of("example.org.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void ordersCandidatesByNdots(String name, String host, int ndots, List<String> expected) {
        ResolvConfig parsed = ResolvConfig.parse(RESOLV);
        ResolvConfig config = new ResolvConfig(parsed.nameservers(), parsed.searches(), ndots);

        assertThat(config.candidates(host)).isEqualTo(expected);
    }

    @Test
    void parsesResolvConf() {
        assertThat(ResolvConfig.parse(RESOLV)).isEqualTo(new ResolvConfig(List.of("127.0.0.1"),
                List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local"), 5));
    }

    @Test
    void resolvesThroughTheSearchListOverUdp() throws Exception {
        DnsPodResolver resolver = resolver();

        assertThat(resolver.resolve("details", 9080))
                .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("10.96.0.20"), 9080));
        assertThat(resolver.resolve("ratings.other", 80))
                .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("10.96.0.30"), 80));
        assertThat(dns.asked).contains("details.default.svc.cluster.local.",
                "ratings.other.default.svc.cluster.local.", "ratings.other.svc.cluster.local.");
    }

    @Test
    void literalsNeedNoQueryAndUnknownNamesFail() throws Exception {
        DnsPodResolver resolver = resolver();
        int before = dns.asked.size();

        assertThat(resolver.resolve("10.1.2.3", 53)).containsExactly(new InetSocketAddress("10.1.2.3", 53));
        assertThat(dns.asked).hasSize(before);
        assertThatThrownBy(() -> resolver.resolve("nope", 80)).isInstanceOf(UnknownHostException.class)
                .hasMessage("nope: no such host");
    }

    private static DnsPodResolver resolver() {
        PodSockets sockets = new PodSockets("knet-test-dns", NetnsExecutor.sameNamespace(), TestPods.LOOPS);
        return new DnsPodResolver(ResolvConfig.parse(RESOLV), sockets, Duration.ofSeconds(5), dns.port());
    }

    /** A stateful DNS stub on loopback: answers A queries from a table (NXDOMAIN otherwise), records what it was asked. */
    static final class FakeDns implements AutoCloseable {
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final DatagramSocket socket;

        FakeDns(Map<String, String> records) throws SocketException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> serve(records));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Map<String, String> records) {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    socket.receive(packet);
                    byte[] reply = answer(buf, packet.getLength(), records);
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private byte[] answer(byte[] query, int length, Map<String, String> records) {
            StringBuilder name = new StringBuilder();
            int pos = 12;
            while (query[pos] != 0) {
                int len = query[pos];
                name.append(new String(query, pos + 1, len)).append('.');
                pos += len + 1;
            }
            int questionEnd = pos + 5;
            asked.add(name.toString());
            String address = records.get(name.toString());
            ByteBuffer out = ByteBuffer.allocate(512);
            out.put(query, 0, 2).putShort((short) (address == null ? 0x8183 : 0x8180))
                    .putShort((short) 1).putShort((short) (address == null ? 0 : 1)).putShort((short) 0).putShort((short) 0);
            out.put(query, 12, questionEnd - 12);
            if (address != null) {
                out.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(30).putShort((short) 4)
                        .put(InetAddress.ofLiteral(address).getAddress());
            }
            byte[] reply = new byte[out.position()];
            out.flip().get(reply);
            return reply;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
