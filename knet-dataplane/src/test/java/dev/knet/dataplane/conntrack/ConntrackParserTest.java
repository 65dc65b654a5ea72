package dev.knet.dataplane.conntrack;

import dev.knet.dataplane.nflog.IpProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_IP_V4_DST;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_IP_V4_SRC;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_IP_V6_DST;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_IP_V6_SRC;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_PROTO_DST_PORT;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_PROTO_NUM;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_PROTO_SRC_PORT;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_TUPLE_IP;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_TUPLE_ORIG;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_TUPLE_PROTO;
import static dev.knet.dataplane.conntrack.ConntrackParser.CTA_TUPLE_REPLY;
import static dev.knet.dataplane.conntrack.ConntrackParser.NLA_F_NESTED;
import static dev.knet.dataplane.netlink.NetlinkBytes.assertRandomBytesNeverThrow;
import static dev.knet.dataplane.netlink.NetlinkBytes.attr;
import static dev.knet.dataplane.netlink.NetlinkBytes.concat;
import static dev.knet.dataplane.netlink.NetlinkBytes.octets;
import static dev.knet.dataplane.netlink.NetlinkBytes.withInt;
import static dev.knet.dataplane.netlink.NetlinkBytes.withShort;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-built ctnetlink new-connection events, laid out as the kernel sends them, and damaged ones that must be skipped. */
class ConntrackParserTest {

    private static final int CTA_STATUS = 3;
    private static final int CTA_TIMEOUT = 7;
    private static final int CTA_ID = 12;
    private static final int CTA_PROTO_ICMP_ID = 4;

    /** x/a:40000 -> x/b:80 over TCP, no NAT. */
    private static final byte[] TCP = message(
            tuple(CTA_TUPLE_ORIG, 6, "10.244.1.5", 40000, "10.244.2.7", 80),
            tuple(CTA_TUPLE_REPLY, 6, "10.244.2.7", 80, "10.244.1.5", 40000),
            u32(CTA_STATUS, 0x8), u32(CTA_TIMEOUT, 120), u32(CTA_ID, 12345));

    record Case(String name, byte[] message, ConntrackFlow expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ConntrackFlow flow(IpProtocol p, String s, int sp, String d, int dp, String rs, int rsp, String rd, int rdp) {
        return new ConntrackFlow(p, new ConntrackFlow.Tuple(s, sp, d, dp), new ConntrackFlow.Tuple(rs, rsp, rd, rdp));
    }

    static Stream<Case> wellFormed() {
        return Stream.of(
                new Case("TCP without NAT, with status, timeout and id around the tuples", TCP,
                        flow(IpProtocol.TCP, "10.244.1.5", 40000, "10.244.2.7", 80, "10.244.2.7", 80, "10.244.1.5", 40000)),
                new Case("TCP to a ClusterIP: the reply comes from the endpoint (DNAT)",
                        message(tuple(CTA_TUPLE_ORIG, 6, "10.244.1.5", 40001, "10.96.0.10", 80),
                                tuple(CTA_TUPLE_REPLY, 6, "10.244.2.7", 8080, "10.244.1.5", 40001)),
                        flow(IpProtocol.TCP, "10.244.1.5", 40001, "10.96.0.10", 80, "10.244.2.7", 8080, "10.244.1.5", 40001)),
                new Case("UDP",
                        message(tuple(CTA_TUPLE_ORIG, 17, "10.244.1.5", 5353, "10.244.3.9", 53),
                                tuple(CTA_TUPLE_REPLY, 17, "10.244.3.9", 53, "10.244.1.5", 5353)),
                        flow(IpProtocol.UDP, "10.244.1.5", 5353, "10.244.3.9", 53, "10.244.3.9", 53, "10.244.1.5", 5353)),
                new Case("SCTP",
                        message(tuple(CTA_TUPLE_ORIG, 132, "10.0.0.1", 9, "10.0.0.2", 3868),
                                tuple(CTA_TUPLE_REPLY, 132, "10.0.0.2", 3868, "10.0.0.1", 9)),
                        flow(IpProtocol.SCTP, "10.0.0.1", 9, "10.0.0.2", 3868, "10.0.0.2", 3868, "10.0.0.1", 9)),
                new Case("ICMP: no ports (its id is not one)",
                        message(icmpTuple(CTA_TUPLE_ORIG, "10.0.0.1", "10.0.0.2"),
                                icmpTuple(CTA_TUPLE_REPLY, "10.0.0.2", "10.0.0.1")),
                        flow(IpProtocol.ICMP, "10.0.0.1", -1, "10.0.0.2", -1, "10.0.0.2", -1, "10.0.0.1", -1)),
                new Case("nests without NLA_F_NESTED are read the same",
                        message(tuple(CTA_TUPLE_ORIG, 6, "10.244.1.5", 1, "10.244.2.7", 2, 0),
                                tuple(CTA_TUPLE_REPLY, 6, "10.244.2.7", 2, "10.244.1.5", 1, 0)),
                        flow(IpProtocol.TCP, "10.244.1.5", 1, "10.244.2.7", 2, "10.244.2.7", 2, "10.244.1.5", 1)),
                new Case("IPv6 TCP",
                        message(tuple6(CTA_TUPLE_ORIG, "fd00::1", 1234, "fd00::2", 443),
                                tuple6(CTA_TUPLE_REPLY, "fd00::2", 443, "fd00::1", 1234)),
                        flow(IpProtocol.TCP, "fd00::1", 1234, "fd00::2", 443, "fd00::2", 443, "fd00::1", 1234)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void parsesWellFormedMessages(Case c) {
        assertThat(ConntrackParser.parse(c.message())).contains(c.expected());
        assertThat(ConntrackParser.parseAll(c.message(), c.message().length)).containsExactly(c.expected());
    }

    @Test
    void dnatIsTheReplyComingFromElsewhere() {
        ConntrackFlow plain = ConntrackParser.parse(TCP).orElseThrow();
        assertThat(plain.destinationNatted()).isFalse();
        assertThat(plain.endpointIp()).isEqualTo("10.244.2.7");
        ConntrackFlow viaService = flow(IpProtocol.TCP, "10.244.1.5", 1, "10.96.0.10", 80, "10.244.2.7", 8080, "10.244.1.5", 1);
        assertThat(viaService.destinationNatted()).isTrue();
        assertThat(viaService.endpointIp()).isEqualTo("10.244.2.7");
        assertThat(viaService.endpointPort()).isEqualTo(8080);
        ConntrackFlow portOnly = flow(IpProtocol.TCP, "10.244.1.5", 1, "10.244.2.7", 80, "10.244.2.7", 8080, "10.244.1.5", 1);
        assertThat(portOnly.destinationNatted()).as("a port rewrite alone is DNAT too").isTrue();
    }

    static Stream<Arguments> malformed() {
        byte[] orig = tuple(CTA_TUPLE_ORIG, 6, "10.244.1.5", 40000, "10.244.2.7", 80);
        byte[] reply = tuple(CTA_TUPLE_REPLY, 6, "10.244.2.7", 80, "10.244.1.5", 40000);
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("a netlink header only", Arrays.copyOf(TCP, 16)),
                Arguments.of("truncated in the middle of a tuple", withInt(Arrays.copyOf(TCP, 40), 0, 40)),
                Arguments.of("cut short of its length field", Arrays.copyOf(TCP, TCP.length - 10)),
                Arguments.of("length field larger than the message", withInt(TCP, 0, TCP.length + 100)),
                Arguments.of("length field smaller than a header", withInt(TCP, 0, 8)),
                Arguments.of("another message type (delete)", withShort(TCP, 4, (1 << 8) | 2)),
                Arguments.of("an NLMSG_ERROR", withShort(TCP, 4, 2)),
                Arguments.of("an attribute length below 4", withShort(TCP, 20, 2)),
                Arguments.of("an attribute length past the end", withShort(TCP, 20, 4000)),
                Arguments.of("no reply tuple", message(orig)),
                Arguments.of("no original tuple", message(reply)),
                Arguments.of("a tuple without addresses", message(nest(CTA_TUPLE_ORIG, proto(6, 1, 2)), reply)),
                Arguments.of("a tuple without protocol", message(nest(CTA_TUPLE_ORIG, ip4("10.0.0.1", "10.0.0.2")), reply)),
                Arguments.of("TCP without ports", message(nest(CTA_TUPLE_ORIG, ip4("10.0.0.1", "10.0.0.2"),
                        nest(CTA_TUPLE_PROTO, attr(CTA_PROTO_NUM, new byte[] {6}))), reply)),
                Arguments.of("a 3-byte IPv4 address", message(nest(CTA_TUPLE_ORIG, nest(CTA_TUPLE_IP,
                        attr(CTA_IP_V4_SRC, new byte[3]), attr(CTA_IP_V4_DST, new byte[4])), proto(6, 1, 2)), reply)),
                Arguments.of("a 1-byte port", message(nest(CTA_TUPLE_ORIG, ip4("10.0.0.1", "10.0.0.2"),
                        nest(CTA_TUPLE_PROTO, attr(CTA_PROTO_NUM, new byte[] {6}), attr(CTA_PROTO_SRC_PORT, new byte[1]),
                                attr(CTA_PROTO_DST_PORT, new byte[2]))), reply)),
                Arguments.of("the tuples disagree on the protocol",
                        message(orig, tuple(CTA_TUPLE_REPLY, 17, "10.244.2.7", 80, "10.244.1.5", 40000))),
                Arguments.of("a nested attribute running past its parent", message(withNestedOverrun(orig), reply)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void skipsMalformedMessages(String name, byte[] message) {
        assertThat(ConntrackParser.parse(message)).isEmpty();
        assertThat(ConntrackParser.parseAll(message, message.length)).isEmpty();
    }

    @Test
    void readsEveryEventOfADatagramAndSkipsTheRest() {
        byte[] second = message(tuple(CTA_TUPLE_ORIG, 17, "10.0.0.1", 1, "10.0.0.2", 53),
                tuple(CTA_TUPLE_REPLY, 17, "10.0.0.2", 53, "10.0.0.1", 1));
        byte[] destroy = withShort(TCP, 4, (1 << 8) | 2);
        byte[] ack = withShort(message(), 4, 2);
        byte[] datagram = concat(TCP, destroy, ack, second);
        assertThat(ConntrackParser.parseAll(datagram, datagram.length)).extracting(ConntrackFlow::protocol)
                .containsExactly(IpProtocol.TCP, IpProtocol.UDP);
        byte[] broken = concat(TCP, withInt(second, 0, 1 << 20));
        assertThat(ConntrackParser.parseAll(broken, broken.length)).as("a broken length ends the datagram").hasSize(1);
        assertThat(ConntrackParser.parseAll(datagram, TCP.length - 1)).as("a length shorter than the buffer").isEmpty();
        assertThat(ConntrackParser.parseAll(datagram, -5)).isEmpty();
    }

    @Test
    void randomBytesNeverThrow() {
        assertRandomBytesNeverThrow(7, TCP, b -> {
            ConntrackParser.parse(b);
            ConntrackParser.parseAll(b, b.length);
        });
    }

    // --- building messages as ctnetlink lays them out ---

    /** nlmsghdr (host order, NLM_F_CREATE|NLM_F_EXCL) + nfgenmsg (AF_INET, version 0, res_id 0) + attributes. */
    static byte[] message(byte[]... attrs) {
        byte[] body = concat(attrs);
        ByteBuffer b = ByteBuffer.allocate(20 + body.length).order(ByteOrder.nativeOrder());
        b.putInt(20 + body.length).putShort((short) ConntrackParser.MSG_NEW).putShort((short) 0x600).putInt(0).putInt(0);
        b.put((byte) 2).put((byte) 0).putShort((short) 0);
        b.put(body);
        return b.array();
    }

    static byte[] tuple(int type, int protocol, String src, int srcPort, String dst, int dstPort) {
        return tuple(type, protocol, src, srcPort, dst, dstPort, NLA_F_NESTED);
    }

    static byte[] tuple(int type, int protocol, String src, int srcPort, String dst, int dstPort, int nestedFlag) {
        return attr(type | nestedFlag, concat(
                attr(CTA_TUPLE_IP | nestedFlag, concat(attr(CTA_IP_V4_SRC, octets(src)), attr(CTA_IP_V4_DST, octets(dst)))),
                attr(CTA_TUPLE_PROTO | nestedFlag, concat(attr(CTA_PROTO_NUM, new byte[] {(byte) protocol}),
                        attr(CTA_PROTO_SRC_PORT, port(srcPort)), attr(CTA_PROTO_DST_PORT, port(dstPort))))));
    }

    static byte[] tuple6(int type, String src, int srcPort, String dst, int dstPort) {
        return nest(type, nest(CTA_TUPLE_IP, attr(CTA_IP_V6_SRC, octets6(src)), attr(CTA_IP_V6_DST, octets6(dst))),
                proto(6, srcPort, dstPort));
    }

    static byte[] icmpTuple(int type, String src, String dst) {
        return nest(type, ip4(src, dst), nest(CTA_TUPLE_PROTO, attr(CTA_PROTO_NUM, new byte[] {1}),
                attr(CTA_PROTO_ICMP_ID, port(77)), attr(5, new byte[] {8}), attr(6, new byte[] {0})));
    }

    static byte[] ip4(String src, String dst) {
        return nest(CTA_TUPLE_IP, attr(CTA_IP_V4_SRC, octets(src)), attr(CTA_IP_V4_DST, octets(dst)));
    }

    static byte[] proto(int protocol, int srcPort, int dstPort) {
        return nest(CTA_TUPLE_PROTO, attr(CTA_PROTO_NUM, new byte[] {(byte) protocol}),
                attr(CTA_PROTO_SRC_PORT, port(srcPort)), attr(CTA_PROTO_DST_PORT, port(dstPort)));
    }

    static byte[] nest(int type, byte[]... children) {
        return attr(type | NLA_F_NESTED, concat(children));
    }

    static byte[] u32(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).putInt(value).array()); // big-endian, as ctnetlink sends it
    }

    static byte[] port(int port) {
        return ByteBuffer.allocate(2).putShort((short) port).array();
    }

    /** "fd00::N" only: what these tests use. */
    private static byte[] octets6(String ip) {
        byte[] out = new byte[16];
        out[0] = (byte) 0xfd;
        out[15] = (byte) Integer.parseInt(ip.substring(ip.lastIndexOf(':') + 1));
        return out;
    }

    /** The tuple's first nested attribute (CTA_TUPLE_IP) claims more bytes than the tuple holds. */
    private static byte[] withNestedOverrun(byte[] tuple) {
        byte[] copy = tuple.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putShort(4, (short) (copy.length));
        return copy;
    }

}
