package dev.knet.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.metrics.DnsMetrics;
import dev.knet.dns.server.QueryProcessor;
import dev.knet.dns.server.QueryService;
import dev.knet.dns.server.TcpDnsHandler;
import dev.knet.dns.server.UdpDnsHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The UDP and TCP handlers in EmbeddedChannels: buffer ownership, framing, and a fuzz run. */
class DnsHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
    private static QueryService service;
    private static List<byte[]> seeds;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void index() throws Exception {
        var doc = ConformanceFixtures.load();
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        index.replaceAll(ConformanceFixtures.spec((Map<String, Object>) ((Map<String, Object>) doc.get("fixtures")).get("spec")));
        service = new QueryService(new QueryProcessor(index::snapshot, Optional.empty(), 1232), new DnsMetrics());
        seeds = List.of(
                TestDnsClient.encodeQuery(1, "kubernetes.default.svc.cluster.local.", 1, 0),
                TestDnsClient.encodeQuery(2, "_https._tcp.headless.default.svc.cluster.local.", 33, 1232),
                TestDnsClient.encodeQuery(3, "headless.default.svc.cluster.local.", 255, 4096),
                TestDnsClient.encodeQuery(4, "1.0.3.10.in-addr.arpa.", 12, 0),
                TestDnsClient.encodeQuery(5, "nosuch.default.svc.cluster.local.", 28, 512),
                TestDnsClient.encodeQuery(6, "www.example.com.", 1, 1232));
    }

    private static EmbeddedChannel udpChannel() {
        return new EmbeddedChannel(new UdpDnsHandler(service));
    }

    @Test
    void udpHandlerReleasesTheRequestAndAnswersOnce() {
        EmbeddedChannel ch = udpChannel();
        ByteBuf request = Unpooled.wrappedBuffer(seeds.getFirst());
        ch.writeInbound(new DatagramPacket(request, SERVER, CLIENT));
        assertThat(request.refCnt()).isZero();
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.recipient()).isEqualTo(CLIENT);
        var answer = TestDnsClient.decode(ByteBufUtil.getBytes(reply.content()));
        assertThat(answer.answers()).extracting(TestDnsClient.Rr::data).containsExactly("10.3.0.1");
        assertThat(reply.release()).isTrue();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void udpHandlerDropsResponsesAndRunts() {
        EmbeddedChannel ch = udpChannel();
        byte[] response = seeds.getFirst().clone();
        response[2] |= (byte) 0x80; // QR: a response, never answered (no reflection loops)
        for (byte[] packet : List.of(response, new byte[] {1, 2, 3})) {
            ByteBuf buf = Unpooled.wrappedBuffer(packet);
            ch.writeInbound(new DatagramPacket(buf, SERVER, CLIENT));
            assertThat(buf.refCnt()).isZero();
            assertThat((Object) ch.readOutbound()).isNull();
        }
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void tcpHandlerAnswersPipelinedQueriesAndClosesOnGarbage() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                new LengthFieldPrepender(2), new TcpDnsHandler(service));
        ByteBuf in = Unpooled.buffer();
        for (byte[] q : seeds.subList(0, 2)) {
            in.writeShort(q.length).writeBytes(q);
        }
        ch.writeInbound(in);
        assertThat(in.refCnt()).isZero();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ByteBuf len = ch.readOutbound();
            ByteBuf body = ch.readOutbound();
            assertThat(len.readUnsignedShort()).isEqualTo(body.readableBytes());
            ids.add(body.getUnsignedShort(body.readerIndex()));
            TestDnsClient.decode(ByteBufUtil.getBytes(body));
            len.release();
            body.release();
        }
        assertThat(ids).containsExactly(1, 2);
        ByteBuf garbage = Unpooled.buffer().writeShort(3).writeBytes(new byte[] {9, 9, 9});
        ch.writeInbound(garbage);
        assertThat(garbage.refCnt()).isZero();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    /**
     * 120,000 random and mutated packets: the handler never throws, releases every request,
     * and each reply is a well-formed message within the UDP limit, with the query's id.
     */
    @Test
    void fuzzedPacketsNeverCrashOrLeak() {
        EmbeddedChannel ch = udpChannel();
        Random random = new Random(20240611L);
        int answered = 0;
        int dropped = 0;
        for (int i = 0; i < 120_000; i++) {
            byte[] packet = i % 3 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            ByteBuf buf = Unpooled.buffer(packet.length).writeBytes(packet); // a real buffer even when empty
            assertThatCode(() -> ch.writeInbound(new DatagramPacket(buf, SERVER, CLIENT))).doesNotThrowAnyException();
            assertThat(buf.refCnt()).isZero();
            DatagramPacket reply = ch.readOutbound();
            if (reply == null) {
                dropped++;
                continue;
            }
            answered++;
            try {
                byte[] bytes = ByteBufUtil.getBytes(reply.content());
                assertThat(bytes.length).isLessThanOrEqualTo(1232);
                assertThat(bytes[0]).isEqualTo(packet[0]);
                assertThat(bytes[1]).isEqualTo(packet[1]);
                assertThat(WireCheck.wellFormed(bytes)).as("reply #%d well-formed", i).isTrue();
                if (answered % 10 == 0) {
                    nettyDecodes(bytes, i); // a second, independent reader on a sample
                }
            } finally {
                reply.release();
            }
            assertThat((Object) ch.readOutbound()).isNull();
        }
        assertThat(answered).isGreaterThan(10_000);
        assertThat(dropped).isGreaterThan(1_000);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    /** Netty's decoder also reads it; it alone rejects echoed question names that are not valid IDNs. */
    private static void nettyDecodes(byte[] bytes, int i) {
        try {
            TestDnsClient.decode(bytes);
        } catch (RuntimeException e) {
            boolean idn = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                idn |= java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals("java.net.IDN"));
            }
            assertThat(idn).as("reply #%d decodes: %s", i, e).isTrue();
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(600)];
        random.nextBytes(b);
        if (b.length > 3 && random.nextBoolean()) {
            b[2] &= 0x7f; // mostly queries, so more of them get past the header
        }
        return b;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int n = random.nextInt(4) + 1; n > 0; n--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 2 -> b[12 + random.nextInt(b.length - 12)] = (byte) random.nextInt(256);
            default -> {
                byte[] longer = java.util.Arrays.copyOf(b, b.length + random.nextInt(40));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                b = longer;
            }
        }
        if (b.length > 2) {
            b[2] &= 0x7f;
        }
        return b;
    }
}
