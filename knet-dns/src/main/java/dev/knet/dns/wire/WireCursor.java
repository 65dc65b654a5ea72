package dev.knet.dns.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reads over one DNS message held in a buffer; never moves the buffer's indexes. */
final class WireCursor {

    private static final int MAX_NAME = 255;
    /** Per-thread room to assemble a name's text; only the final String is allocated per name. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[MAX_NAME]);

    private final ByteBuf buf;
    private final int base;
    private final int length;
    int pos;

    record NameText(String text, boolean plain) {
    }

    WireCursor(ByteBuf buf, int base, int length) {
        this.buf = buf;
        this.base = base;
        this.length = length;
    }

    private void need(int n) throws WireFormatException {
        if (pos + n > length) {
            throw new WireFormatException("truncated at offset " + pos);
        }
    }

    int u16() throws WireFormatException {
        need(2);
        int v = buf.getUnsignedShort(base + pos);
        pos += 2;
        return v;
    }

    long u32() throws WireFormatException {
        need(4);
        long v = buf.getUnsignedInt(base + pos);
        pos += 4;
        return v;
    }

    byte[] bytes(int n) throws WireFormatException {
        need(n);
        byte[] out = new byte[n];
        buf.getBytes(base + pos, out);
        pos += n;
        return out;
    }

    void skip(int n) throws WireFormatException {
        need(n);
        pos += n;
    }

    void skipRecord() throws WireFormatException {
        readName();
        skip(8);
        skip(u16());
    }

    /** Reads a possibly compressed name; leaves pos after its in-place part. */
    NameText readName() throws WireFormatException {
        byte[] text = null;
        int textLength = 0;
        boolean plain = true;
        int p = pos;
        int end = -1;
        int wire = 0;
        int lowestTarget = p;
        for (int hops = 0; ; ) {
            if (p >= length) {
                throw new WireFormatException("name runs past the packet");
            }
            int len = buf.getUnsignedByte(base + p);
            if ((len & 0xc0) == 0xc0) {
                if (p + 1 >= length) {
                    throw new WireFormatException("truncated pointer");
                }
                int target = ((len & 0x3f) << 8) | buf.getUnsignedByte(base + p + 1);
                // Pointers must go strictly backwards: that alone rules out loops.
                if (target >= lowestTarget || ++hops > 64) {
                    throw new WireFormatException("bad compression pointer");
                }
                if (end < 0) {
                    end = p + 2;
                }
                lowestTarget = target;
                p = target;
                continue;
            }
            if ((len & 0xc0) != 0) {
                throw new WireFormatException("unsupported label type");
            }
            if (len == 0) {
                pos = end < 0 ? p + 1 : end;
                String name = text == null ? "" : new String(text, 0, textLength, StandardCharsets.ISO_8859_1);
                return new NameText(name, plain);
            }
            wire += len + 1;
            if (wire + 1 > MAX_NAME || p + 1 + len > length) {
                throw new WireFormatException("name too long or truncated");
            }
            if (text == null) {
                text = SCRATCH.get(); // a name's text is never longer than its wire form
            }
            if (textLength > 0) {
                text[textLength++] = '.';
            }
            buf.getBytes(base + p + 1, text, textLength, len);
            for (int i = textLength; i < textLength + len; i++) {
                int ch = text[i] & 0xff;
                plain &= ch > 0x20 && ch < 0x7f && ch != '.' && ch != '\\';
            }
            textLength += len;
            p += 1 + len;
        }
    }
}
