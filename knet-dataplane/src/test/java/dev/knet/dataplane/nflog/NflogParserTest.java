package dev.knet.dataplane.nflog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.knet.dataplane.netlink.NetlinkBytes.assertRandomBytesNeverThrow;
import static dev.knet.dataplane.netlink.NetlinkBytes.attr;
import static dev.knet.dataplane.netlink.NetlinkBytes.concat;
import static dev.knet.dataplane.netlink.NetlinkBytes.octets;
import static dev.knet.dataplane.netlink.NetlinkBytes.withInt;
import static dev.knet.dataplane.netlink.NetlinkBytes.withShort;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-built nfnetlink_log messages, laid out as the kernel sends them, and damaged ones that must be skipped. */
class NflogParserTest {

    private static final byte[] TCP_SYN = ipv4(6, "10.244.1.5", "10.244.2.7", l4(42311, 80, 20));
    private static final byte[] UDP = ipv4(17, "10.0.0.1", "10.0.0.2", l4(5353, 53, 8));

    record Case(String name, byte[] message, NflogPacket expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> wellFormed() {
        return Stream.of(
                new Case("a TCP SYN with prefix and both interfaces",
                        message(prefix("knet-drop:3 "), ifindex(4, 7), ifindex(5, 9), payload(TCP_SYN)),
                        new NflogPacket("knet-drop:3 ", IpProtocol.TCP, "10.244.1.5", 42311, "10.244.2.7", 80, 7, 9)),
                new Case("a UDP datagram without interfaces",
                        message(prefix("knet-drop:12 "), payload(UDP)),
                        new NflogPacket("knet-drop:12 ", IpProtocol.UDP, "10.0.0.1", 5353, "10.0.0.2", 53, 0, 0)),
                new Case("SCTP has ports where TCP has them",
                        message(prefix("p"), payload(ipv4(132, "10.0.0.1", "10.0.0.2", l4(9, 3868, 12)))),
                        new NflogPacket("p", IpProtocol.SCTP, "10.0.0.1", 9, "10.0.0.2", 3868, 0, 0)),
                new Case("ICMP has no ports",
                        message(prefix("knet-drop:1 "), payload(ipv4(1, "10.0.0.1", "10.0.0.2", new byte[8]))),
                        new NflogPacket("knet-drop:1 ", IpProtocol.ICMP, "10.0.0.1", -1, "10.0.0.2", -1, 0, 0)),
                new Case("no prefix attribute: an empty prefix",
                        message(payload(TCP_SYN)),
                        new NflogPacket("", IpProtocol.TCP, "10.244.1.5", 42311, "10.244.2.7", 80, 0, 0)),
                new Case("the L4 header cut off by the copy range: no ports",
                        message(prefix("x"), payload(Arrays.copyOf(TCP_SYN, 22))),
                        new NflogPacket("x", IpProtocol.TCP, "10.244.1.5", -1, "10.244.2.7", -1, 0, 0)),
                new Case("a later fragment starts mid-segment: no ports",
                        message(prefix("x"), payload(fragment(TCP_SYN))),
                        new NflogPacket("x", IpProtocol.TCP, "10.244.1.5", -1, "10.244.2.7", -1, 0, 0)),
                new Case("IPv4 options move the L4 header",
                        message(prefix("x"), payload(withOptions(UDP))),
                        new NflogPacket("x", IpProtocol.UDP, "10.0.0.1", 5353, "10.0.0.2", 53, 0, 0)),
                new Case("the NLA_F_NET_BYTEORDER bit on an attribute type is ignored",
                        message(attr(0x4000 | NflogParser.NFULA_PREFIX, cString("y")), payload(UDP)),
                        new NflogPacket("y", IpProtocol.UDP, "10.0.0.1", 5353, "10.0.0.2", 53, 0, 0)),
                new Case("IPv6 TCP",
                        message(prefix("v6"), payload(ipv6(6, l4(1234, 443, 20)))),
                        new NflogPacket("v6", IpProtocol.TCP, "fd00::1", 1234, "fd00::2", 443, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void parsesWellFormedMessages(Case c) {
        assertThat(NflogParser.parse(c.message())).contains(c.expected());
    }

    static Stream<Arguments> malformed() {
        byte[] good = message(prefix("knet-drop:3 "), payload(TCP_SYN));
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("a netlink header only", Arrays.copyOf(good, 16)),
                Arguments.of("cut in the middle of an attribute", Arrays.copyOf(good, good.length - 10)),
                Arguments.of("length field larger than the message", withInt(good, 0, good.length + 100)),
                Arguments.of("length field smaller than a header", withInt(good, 0, 8)),
                Arguments.of("another message type (config)", withShort(good, 4, (4 << 8) | 1)),
                Arguments.of("an NLMSG_ERROR", withShort(good, 4, 2)),
                Arguments.of("an attribute length below 4", withShort(good, 20, 2)),
                Arguments.of("an attribute length past the end", withShort(good, 20, 4000)),
                Arguments.of("no payload", message(prefix("knet-drop:3 "))),
                Arguments.of("a payload shorter than an IPv4 header", message(payload(Arrays.copyOf(TCP_SYN, 12)))),
                Arguments.of("an IPv4 header length below 20", message(payload(withByte(TCP_SYN, 0, 0x44)))),
                Arguments.of("an IPv4 header length past the payload", message(payload(withByte(Arrays.copyOf(TCP_SYN, 30), 0, 0x4f)))),
                Arguments.of("IP version 5", message(payload(withByte(TCP_SYN, 0, 0x55)))),
                Arguments.of("an empty payload", message(payload(new byte[0]))),
                Arguments.of("a truncated IPv6 header", message(payload(Arrays.copyOf(ipv6(6, l4(1, 2, 20)), 39)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void skipsMalformedMessages(String name, byte[] message) {
        assertThat(NflogParser.parse(message)).isEmpty();
        assertThat(NflogParser.parseAll(message, message.length)).isEmpty();
    }

    @Test
    void readsEveryPacketOfABatchAndSkipsWhatIsNotAPacket() {
        byte[] first = message(prefix("knet-drop:1 "), payload(TCP_SYN));
        byte[] ack = withShort(message(), 4, 2);
        byte[] second = message(prefix("knet-drop:2 "), payload(UDP));
        byte[] done = withShort(message(), 4, 3);
        byte[] datagram = concat(first, ack, second, done);
        assertThat(NflogParser.parseAll(datagram, datagram.length)).extracting(NflogPacket::prefix)
                .containsExactly("knet-drop:1 ", "knet-drop:2 ");
    }

    @Test
    void aBrokenLengthEndsTheDatagramButKeepsWhatCameBefore() {
        byte[] first = message(prefix("knet-drop:1 "), payload(TCP_SYN));
        byte[] broken = withInt(message(prefix("knet-drop:2 "), payload(UDP)), 0, 1 << 20);
        byte[] datagram = concat(first, broken);
        assertThat(NflogParser.parseAll(datagram, datagram.length)).extracting(NflogPacket::prefix)
                .containsExactly("knet-drop:1 ");
        assertThat(NflogParser.parseAll(datagram, first.length - 1)).as("a length shorter than the buffer").isEmpty();
    }

    @Test
    void randomBytesNeverThrow() {
        assertRandomBytesNeverThrow(42, message(prefix("knet-drop:3 "), ifindex(4, 7), payload(TCP_SYN)), b -> {
            NflogParser.parse(b);
            NflogParser.parseAll(b, b.length);
        });
    }

    // --- building messages as nfnetlink_log lays them out ---

    /** nlmsghdr (host order) + nfgenmsg (AF_INET, version 0, group 100 big-endian) + attributes. */
    static byte[] message(byte[]... attrs) {
        byte[] body = concat(attrs);
        ByteBuffer b = ByteBuffer.allocate(20 + body.length).order(ByteOrder.nativeOrder());
        b.putInt(20 + body.length).putShort((short) NflogParser.MSG_PACKET).putShort((short) 0).putInt(0).putInt(0);
        b.put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 100);
        b.put(body);
        return b.array();
    }

    static byte[] prefix(String text) {
        return attr(NflogParser.NFULA_PREFIX, cString(text));
    }

    static byte[] payload(byte[] packet) {
        return attr(NflogParser.NFULA_PAYLOAD, packet);
    }

    static byte[] ifindex(int type, int index) {
        return attr(type, ByteBuffer.allocate(4).putInt(index).array()); // big-endian, as the kernel sends it
    }

    private static byte[] cString(String text) {
        return Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), text.length() + 1);
    }

    /** A 20-byte IPv4 header (network order) followed by {@code l4}. */
    static byte[] ipv4(int protocol, String src, String dst, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(octets(src)).put(octets(dst)).put(l4);
        return b.array();
    }

    static byte[] ipv6(int nextHeader, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(40 + l4.length);
        b.putInt(0x60000000).putShort((short) l4.length).put((byte) nextHeader).put((byte) 64);
        byte[] src = new byte[16];
        src[0] = (byte) 0xfd;
        src[15] = 1;
        byte[] dst = src.clone();
        dst[15] = 2;
        return b.put(src).put(dst).put(l4).array();
    }

    /** Ports first, then zeros up to {@code length} (the rest of a TCP, UDP or SCTP header). */
    static byte[] l4(int srcPort, int dstPort, int length) {
        return ByteBuffer.allocate(length).putShort((short) srcPort).putShort((short) dstPort).array();
    }

    private static byte[] fragment(byte[] packet) {
        byte[] p = packet.clone();
        p[6] = 0x00;
        p[7] = 0x10; // fragment offset 16 (x 8 bytes)
        return p;
    }

    /** The same packet with 4 bytes of IPv4 options (header length 24). */
    private static byte[] withOptions(byte[] packet) {
        byte[] p = new byte[packet.length + 4];
        System.arraycopy(packet, 0, p, 0, 20);
        p[0] = 0x46;
        p[20] = 1; // NOP options
        p[21] = 1;
        p[22] = 1;
        p[23] = 0;
        System.arraycopy(packet, 20, p, 24, packet.length - 20);
        return p;
    }

    private static byte[] withByte(byte[] bytes, int off, int value) {
        byte[] copy = bytes.clone();
        copy[off] = (byte) value;
        return copy;
    }

}
