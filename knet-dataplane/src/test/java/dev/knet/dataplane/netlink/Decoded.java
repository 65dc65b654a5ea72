package dev.knet.dataplane.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A test-side reading of an encoded request: header fields, the family header, and attributes by type. */
record Decoded(int length, int type, int flags, int seq, byte[] family, List<Attr> attrs) {

    record Attr(int type, byte[] data) {
        int u32() {
            return ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).getInt();
        }

        String string() {
            int end = data.length > 0 && data[data.length - 1] == 0 ? data.length - 1 : data.length;
            return new String(data, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
        }

        /** The attributes nested in this one, after {@code skip} bytes of struct (the veth peer's ifinfomsg). */
        List<Attr> nested(int skip) {
            return parse(Arrays.copyOfRange(data, skip, data.length));
        }
    }

    static Decoded of(byte[] bytes, int familyHeader) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int length = b.getInt(0);
        byte[] family = Arrays.copyOfRange(bytes, 16, 16 + familyHeader);
        return new Decoded(length, Short.toUnsignedInt(b.getShort(4)), Short.toUnsignedInt(b.getShort(6)), b.getInt(8),
                family, parse(Arrays.copyOfRange(bytes, 16 + familyHeader, bytes.length)));
    }

    static List<Attr> parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<Attr> attrs = new ArrayList<>();
        int off = 0;
        while (off + 4 <= bytes.length) {
            int len = Short.toUnsignedInt(b.getShort(off));
            int type = Short.toUnsignedInt(b.getShort(off + 2));
            attrs.add(new Attr(type, Arrays.copyOfRange(bytes, off + 4, off + len)));
            off += (len + 3) & ~3;
        }
        return attrs;
    }

    Optional<Attr> attr(int type) {
        return find(attrs, type);
    }

    static Optional<Attr> find(List<Attr> attrs, int type) {
        return attrs.stream().filter(a -> a.type() == type).findFirst();
    }

    int familyU32(int offset) {
        return ByteBuffer.wrap(family).order(ByteOrder.nativeOrder()).getInt(offset);
    }
}
