package dev.knet.dataplane.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits a datagram read from a netlink socket into its messages, bounds-checked. */
public final class NetlinkMessages {

    /** struct nlmsghdr: length, type, flags, sequence, port id. */
    public static final int HEADER = 16;

    private NetlinkMessages() {
    }

    /**
     * The messages of {@code type} among the first {@code length} bytes of {@code buf}, each copied out whole.
     * A length that does not fit ends the walk: nothing after it can be found either.
     */
    public static List<byte[]> ofType(byte[] buf, int length, int type) {
        List<byte[]> out = new ArrayList<>();
        int end = Math.max(0, Math.min(length, buf.length));
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        for (int off = 0; off + HEADER <= end; ) {
            int len = b.getInt(off);
            if (len < HEADER || len > end - off) {
                break;
            }
            if (Short.toUnsignedInt(b.getShort(off + 4)) == type) {
                out.add(Arrays.copyOfRange(buf, off, off + len));
            }
            off += (len + 3) & ~3;
        }
        return out;
    }
}
