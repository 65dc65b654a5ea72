package dev.knet.dataplane.conntrack;

import dev.knet.dataplane.nflog.IpProtocol;
import dev.knet.dataplane.netlink.NetlinkMessages;
import dev.knet.model.net.IpAddresses;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads ctnetlink's IPCTNL_MSG_CT_NEW messages: a netlink header, struct nfgenmsg, then attributes, of which the
 * two tuples are kept. Each tuple (CTA_TUPLE_ORIG, CTA_TUPLE_REPLY) nests CTA_TUPLE_IP (the addresses) and
 * CTA_TUPLE_PROTO (the protocol number and ports); the kernel marks nests with NLA_F_NESTED, which is masked
 * off like NLA_F_NET_BYTEORDER. Pure and bounds-checked: whatever the bytes, a malformed message is skipped,
 * never an exception, because the reader runs unattended and one odd message must not end the stream. Netlink
 * and attribute headers are in host byte order; addresses and ports in network byte order.
 */
public final class ConntrackParser {

    /** (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW. */
    public static final int MSG_NEW = 1 << 8;
    static final int NFGENMSG = 4;
    static final int CTA_TUPLE_ORIG = 1;
    static final int CTA_TUPLE_REPLY = 2;
    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;
    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;
    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;
    static final int NLA_F_NESTED = 0x8000;
    /** nla_type's top bits say "nested" and "network byte order"; the type is the rest. */
    private static final int NLA_TYPE_MASK = 0x3fff;

    private ConntrackParser() {
    }

    /** Every new-connection message in one datagram from the socket ({@code length} bytes of {@code buf}). */
    public static List<ConntrackFlow> parseAll(byte[] buf, int length) {
        List<ConntrackFlow> out = new ArrayList<>();
        for (byte[] message : NetlinkMessages.ofType(buf, length, MSG_NEW)) {
            parse(message).ifPresent(out::add);
        }
        return out;
    }

    /** One netlink message; empty unless it is a well-formed IPCTNL_MSG_CT_NEW with both tuples. */
    public static Optional<ConntrackFlow> parse(byte[] message) {
        if (message.length < NetlinkMessages.HEADER + NFGENMSG) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        int len = b.getInt(0);
        if (len < NetlinkMessages.HEADER + NFGENMSG || len > message.length || Short.toUnsignedInt(b.getShort(4)) != MSG_NEW) {
            return Optional.empty();
        }
        int[] orig = null;
        int[] reply = null;
        for (int[] a : attributes(b, NetlinkMessages.HEADER + NFGENMSG, len)) {
            if (a == null) {
                return Optional.empty();
            }
            switch (a[0]) {
                case CTA_TUPLE_ORIG -> orig = a;
                case CTA_TUPLE_REPLY -> reply = a;
                default -> { } // status, timeout, mark, id, protoinfo, NAT details: not needed
            }
        }
        if (orig == null || reply == null) {
            return Optional.empty();
        }
        Optional<Parsed> o = tuple(b, orig[1], orig[2]);
        Optional<Parsed> r = tuple(b, reply[1], reply[2]);
        if (o.isEmpty() || r.isEmpty() || o.get().protocol() != r.get().protocol()) {
            return Optional.empty();
        }
        return Optional.of(new ConntrackFlow(IpProtocol.of(o.get().protocol()), o.get().tuple(), r.get().tuple()));
    }

    private record Parsed(int protocol, ConntrackFlow.Tuple tuple) {
    }

    /** A tuple's addresses, protocol and ports; empty when a part is missing or malformed. */
    private static Optional<Parsed> tuple(ByteBuffer b, int from, int to) {
        String src = null;
        String dst = null;
        int protocol = -1;
        int srcPort = -1;
        int dstPort = -1;
        for (int[] a : attributes(b, from, to)) {
            if (a == null) {
                return Optional.empty();
            }
            if (a[0] == CTA_TUPLE_IP) {
                for (int[] ip : attributes(b, a[1], a[2])) {
                    if (ip == null) {
                        return Optional.empty();
                    }
                    int size = ip[2] - ip[1];
                    switch (ip[0]) {
                        case CTA_IP_V4_SRC -> src = size == 4 ? address(b, ip[1], 4) : null;
                        case CTA_IP_V4_DST -> dst = size == 4 ? address(b, ip[1], 4) : null;
                        case CTA_IP_V6_SRC -> src = size == 16 ? address(b, ip[1], 16) : null;
                        case CTA_IP_V6_DST -> dst = size == 16 ? address(b, ip[1], 16) : null;
                        default -> { }
                    }
                }
            } else if (a[0] == CTA_TUPLE_PROTO) {
                for (int[] p : attributes(b, a[1], a[2])) {
                    if (p == null) {
                        return Optional.empty();
                    }
                    int size = p[2] - p[1];
                    switch (p[0]) {
                        case CTA_PROTO_NUM -> protocol = size >= 1 ? Byte.toUnsignedInt(b.get(p[1])) : -1;
                        case CTA_PROTO_SRC_PORT -> srcPort = size == 2 ? u16(b, p[1]) : -1;
                        case CTA_PROTO_DST_PORT -> dstPort = size == 2 ? u16(b, p[1]) : -1;
                        default -> { } // ICMP id, type and code
                    }
                }
            }
        }
        if (src == null || dst == null || protocol < 0 || src.contains(":") != dst.contains(":")) {
            return Optional.empty();
        }
        if (IpProtocol.of(protocol).hasPorts()) {
            if (srcPort < 0 || dstPort < 0) {
                return Optional.empty();
            }
        } else {
            srcPort = -1;
            dstPort = -1;
        }
        return Optional.of(new Parsed(protocol, new ConntrackFlow.Tuple(src, srcPort, dst, dstPort)));
    }

    /**
     * The attributes in {@code [from, to)} as {type, dataStart, dataEnd}; a null element (the last) when one
     * does not fit, so a caller skips the whole message.
     */
    private static List<int[]> attributes(ByteBuffer b, int from, int to) {
        List<int[]> out = new ArrayList<>();
        for (int off = from; off + 4 <= to; ) {
            int attrLen = Short.toUnsignedInt(b.getShort(off));
            int type = Short.toUnsignedInt(b.getShort(off + 2)) & NLA_TYPE_MASK;
            if (attrLen < 4 || attrLen > to - off) {
                out.add(null);
                return out;
            }
            out.add(new int[] {type, off + 4, off + attrLen});
            off += (attrLen + 3) & ~3;
        }
        return out;
    }

    private static int u16(ByteBuffer b, int off) {
        return (b.get(off) & 0xff) << 8 | (b.get(off + 1) & 0xff);
    }

    private static String address(ByteBuffer b, int off, int len) {
        byte[] a = new byte[len];
        b.get(off, a);
        return IpAddresses.format(a);
    }
}
