package dev.knet.dataplane.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One rtnetlink request being built: the 16-byte {@code nlmsghdr}, the family header (ifinfomsg,
 * ifaddrmsg or rtmsg), then attributes, each padded to 4 bytes as NLMSG_ALIGN/RTA_ALIGN require.
 * Nested attributes get their length patched when closed. Host byte order throughout: netlink is
 * a local protocol.
 */
final class NlMessage {

    static final int HEADER = 16;
    static final int F_REQUEST = 0x1;
    static final int F_ACK = 0x4;
    static final int F_REPLACE = 0x100;
    static final int F_EXCL = 0x200;
    static final int F_CREATE = 0x400;

    private final ByteBuffer buf;
    private final Deque<Integer> nests = new ArrayDeque<>();
    private final String what;

    /** {@code what} names the request in error messages, e.g. "link add veth knv1 (in knet-a-n1)". */
    NlMessage(int type, int flags, String what) {
        this(type, flags | F_ACK, what, 4096);
    }

    /** A message of up to {@code capacity} bytes that asks for no acknowledgement (a part of a batch). */
    NlMessage(int type, int flags, String what, int capacity) {
        this.what = what;
        this.buf = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
        buf.putInt(0).putShort((short) type).putShort((short) (flags | F_REQUEST)).putInt(0).putInt(0);
    }

    /** Asks the kernel to acknowledge this message even when it succeeds. */
    NlMessage requestAck() {
        buf.putShort(6, (short) (buf.getShort(6) | F_ACK));
        return this;
    }

    /** struct nfgenmsg: family, version 0, and the resource id, which is big-endian. */
    NlMessage nfgen(int family, int resourceId) {
        buf.put((byte) family).put((byte) 0).put((byte) (resourceId >> 8)).put((byte) resourceId);
        return this;
    }

    /** Bytes written so far. */
    int size() {
        return buf.position();
    }

    String what() {
        return what;
    }

    /** struct ifinfomsg: family, pad, type, index, flags, change. */
    NlMessage ifinfo(int index, int flags, int change) {
        buf.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** struct ifaddrmsg: family, prefixlen, flags, scope, index. */
    NlMessage ifaddr(int family, int prefixLength, int scope, int index) {
        buf.put((byte) family).put((byte) prefixLength).put((byte) 0).put((byte) scope).putInt(index);
        return this;
    }

    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags. */
    NlMessage rtmsg(int family, int dstLength, int table, int protocol, int scope, int type, int flags) {
        buf.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0).put((byte) table)
                .put((byte) protocol).put((byte) scope).put((byte) type).putInt(flags);
        return this;
    }

    NlMessage attr(int type, byte[] data) {
        buf.putShort((short) (4 + data.length)).putShort((short) type).put(data);
        pad();
        return this;
    }

    /** Appends bytes that already form whole attributes (each padded to 4). */
    NlMessage raw(byte[] attributes) {
        buf.put(attributes);
        return this;
    }

    NlMessage attrU32(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** A NUL-terminated string, as the kernel's NLA_STRING/NLA_NUL_STRING policies both accept. */
    NlMessage attrString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        return attr(type, Arrays.copyOf(text, text.length + 1));
    }

    NlMessage beginNest(int type) {
        nests.push(buf.position());
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    NlMessage endNest() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The finished bytes with length and sequence number filled in. */
    byte[] bytes(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed nested attribute in " + what);
        }
        buf.putInt(0, buf.position());
        buf.putInt(8, seq);
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void pad() {
        while (buf.position() % 4 != 0) {
            buf.put((byte) 0);
        }
    }
}
