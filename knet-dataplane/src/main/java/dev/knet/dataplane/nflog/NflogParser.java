package dev.knet.dataplane.nflog;

import dev.knet.dataplane.netlink.NetlinkMessages;
import dev.knet.model.net.IpAddresses;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads nfnetlink_log's NFULNL_MSG_PACKET messages: a netlink header, struct nfgenmsg, then attributes, of which
 * the prefix (NFULA_PREFIX), the copied packet (NFULA_PAYLOAD) and the interfaces (NFULA_IFINDEX_*) are kept.
 * Pure and bounds-checked: whatever the bytes, a malformed message is skipped, never an exception, because the
 * reader runs unattended and one odd packet must not end the stream. Netlink and attribute headers are in host
 * byte order; attribute contents and the packet itself are in network byte order.
 */
public final class NflogParser {

    /** (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET. */
    public static final int MSG_PACKET = 4 << 8;
    static final int NFGENMSG = 4;
    static final int NFULA_IFINDEX_INDEV = 4;
    static final int NFULA_IFINDEX_OUTDEV = 5;
    static final int NFULA_PAYLOAD = 9;
    static final int NFULA_PREFIX = 10;
    /** nla_type's top bits say "nested" and "network byte order"; the type is the rest. */
    private static final int NLA_TYPE_MASK = 0x3fff;

    private NflogParser() {
    }

    /** Every packet message in one datagram from the socket ({@code length} bytes of {@code buf}). */
    public static List<NflogPacket> parseAll(byte[] buf, int length) {
        List<NflogPacket> out = new ArrayList<>();
        for (byte[] message : NetlinkMessages.ofType(buf, length, MSG_PACKET)) {
            parse(message).ifPresent(out::add);
        }
        return out;
    }

    /** One netlink message; empty unless it is a well-formed NFULNL_MSG_PACKET carrying an IPv4 or IPv6 packet. */
    public static Optional<NflogPacket> parse(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        if (message.length < NetlinkMessages.HEADER + NFGENMSG) {
            return Optional.empty();
        }
        int len = b.getInt(0);
        if (len < NetlinkMessages.HEADER + NFGENMSG || len > message.length || Short.toUnsignedInt(b.getShort(4)) != MSG_PACKET) {
            return Optional.empty();
        }
        String prefix = "";
        byte[] payload = null;
        int in = 0;
        int out = 0;
        for (int off = NetlinkMessages.HEADER + NFGENMSG; off + 4 <= len; ) {
            int attrLen = Short.toUnsignedInt(b.getShort(off));
            int type = Short.toUnsignedInt(b.getShort(off + 2)) & NLA_TYPE_MASK;
            if (attrLen < 4 || attrLen > len - off) {
                return Optional.empty();
            }
            int data = off + 4;
            int dataLen = attrLen - 4;
            switch (type) {
                case NFULA_PREFIX -> prefix = cString(message, data, dataLen);
                case NFULA_PAYLOAD -> payload = Arrays.copyOfRange(message, data, data + dataLen);
                case NFULA_IFINDEX_INDEV -> in = dataLen == 4 ? bigEndianInt(message, data) : 0;
                case NFULA_IFINDEX_OUTDEV -> out = dataLen == 4 ? bigEndianInt(message, data) : 0;
                default -> { } // hardware header, timestamps, uid, conntrack: not needed
            }
            off += (attrLen + 3) & ~3;
        }
        return payload == null ? Optional.empty() : packet(prefix, payload, in, out);
    }

    /** The addresses, protocol and ports of an IP packet as far as the copy range kept it. */
    static Optional<NflogPacket> packet(String prefix, byte[] p, int in, int out) {
        if (p.length < 1) {
            return Optional.empty();
        }
        return switch ((p[0] & 0xff) >> 4) {
            case 4 -> ipv4(prefix, p, in, out);
            case 6 -> ipv6(prefix, p, in, out);
            default -> Optional.empty();
        };
    }

    private static Optional<NflogPacket> ipv4(String prefix, byte[] p, int in, int out) {
        int headerLen = (p[0] & 0x0f) * 4;
        if (headerLen < 20 || p.length < headerLen) {
            return Optional.empty();
        }
        IpProtocol protocol = IpProtocol.of(p[9] & 0xff);
        // a later fragment (offset != 0) starts mid-L4: its first bytes are not ports
        boolean laterFragment = ((u16(p, 6)) & 0x1fff) != 0;
        String src = address(p, 12, 4);
        String dst = address(p, 16, 4);
        return Optional.of(withPorts(prefix, protocol, src, dst, laterFragment ? -1 : headerLen, p, in, out));
    }

    /** The fixed header only: a packet with extension headers before L4 is reported without ports. */
    private static Optional<NflogPacket> ipv6(String prefix, byte[] p, int in, int out) {
        if (p.length < 40) {
            return Optional.empty();
        }
        IpProtocol protocol = IpProtocol.of(p[6] & 0xff);
        return Optional.of(withPorts(prefix, protocol, address(p, 8, 16), address(p, 24, 16), 40, p, in, out));
    }

    private static NflogPacket withPorts(String prefix, IpProtocol protocol, String src, String dst, int l4, byte[] p,
                                         int in, int out) {
        boolean ports = protocol.hasPorts() && l4 >= 0 && p.length >= l4 + 4;
        return new NflogPacket(prefix, protocol, src, ports ? u16(p, l4) : -1, dst, ports ? u16(p, l4 + 2) : -1, in, out);
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    private static int bigEndianInt(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).getInt(off);
    }

    private static String address(byte[] b, int off, int len) {
        return IpAddresses.format(Arrays.copyOfRange(b, off, off + len));
    }
}
