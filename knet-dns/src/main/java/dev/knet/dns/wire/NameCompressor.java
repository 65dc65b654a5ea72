package dev.knet.dns.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * Name compression for one message (RFC 1035 4.1.4): remembers where each label written so far
 * starts and, for a new name, points at the first earlier place whose labels spell its longest
 * known suffix. Matching reads the message itself instead of keeping suffix strings, so a reply
 * costs no string or map allocation; spelling is compared byte for byte, so owner names echo the
 * client's case exactly. Offsets are relative to the message start.
 */
final class NameCompressor {

    private static final int MAX_POINTER = 0x3fff;

    private int base;
    private int[] offsets = new int[16];
    /** The text length of the suffix each offset spells: most candidates are ruled out by it alone. */
    private int[] lengths = new int[16];
    private int count;

    /** @param base the buffer index where the message starts */
    NameCompressor(int base) {
        this.base = base;
    }

    /** Forgets every target, for a new message starting at {@code newBase}. */
    NameCompressor reset(int newBase) {
        base = newBase;
        count = 0;
        return this;
    }

    /** Registers the labels of a question section that starts at {@code offset} (unless it is not plain). */
    void registerQuestion(byte[] question, int offset) {
        int p = 0;
        int before = count;
        int textLength = -1; // the whole name's text: labels plus the dots between them
        for (int q = 0; q < question.length && question[q] != 0 && (question[q] & 0xff) <= 63; q += 1 + (question[q] & 0xff)) {
            textLength += 1 + (question[q] & 0xff);
        }
        while (p < question.length) {
            int len = question[p] & 0xff;
            if (len == 0) {
                return;
            }
            if (len > 63 || p + 1 + len > question.length) {
                count = before; // a pointer or garbage: compress nothing against it
                return;
            }
            for (int i = p + 1; i <= p + len; i++) {
                int ch = question[i] & 0xff;
                if (ch <= 0x20 || ch >= 0x7f || ch == '.') {
                    count = before;
                    return;
                }
            }
            add(offset + p, textLength);
            textLength -= len + 1;
            p += 1 + len;
        }
    }

    private void add(int offset, int textLength) {
        if (offset > MAX_POINTER) {
            return;
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        lengths[count] = textLength;
        offsets[count++] = offset;
    }

    /**
     * Writes a name (trailing dot optional), ending in a pointer to an earlier copy of its
     * longest known suffix when {@code compress}; every label written literally becomes a target.
     */
    void writeName(ByteBuf out, String name, boolean compress) {
        int length = name.endsWith(".") ? name.length() - 1 : name.length();
        if (length > 253) {
            throw new IllegalArgumentException("name too long: " + length + " characters");
        }
        int start = 0;
        while (start < length) {
            if (compress) {
                int at = find(out, name, start, length);
                if (at >= 0) {
                    out.writeShort(0xc000 | at);
                    return;
                }
            }
            int dot = name.indexOf('.', start);
            int end = dot < 0 || dot > length ? length : dot;
            int labelLength = end - start;
            if (labelLength == 0 || labelLength > 63) {
                throw new IllegalArgumentException("bad label length " + labelLength + " in " + name);
            }
            add(out.writerIndex() - base, length - start);
            out.writeByte(labelLength);
            for (int i = start; i < end; i++) {
                out.writeByte(latin1(name.charAt(i)));
            }
            start = end + 1;
        }
        out.writeByte(0);
    }

    private static int latin1(char ch) {
        return ch > 0xff ? '?' : ch;
    }

    private int find(ByteBuf out, String name, int start, int length) {
        int textLength = length - start;
        for (int k = 0; k < count; k++) {
            if (lengths[k] == textLength && spells(out, offsets[k], name, start, length)) {
                return offsets[k];
            }
        }
        return -1;
    }

    /** Whether the labels at {@code offset} (following pointers) spell exactly name[start, length). */
    private boolean spells(ByteBuf out, int offset, String name, int start, int length) {
        int pos = base + offset;
        int i = start;
        for (int hops = 0; hops < 128; ) {
            int len = out.getUnsignedByte(pos);
            if ((len & 0xc0) == 0xc0) {
                pos = base + ((len & 0x3f) << 8 | out.getUnsignedByte(pos + 1));
                hops++;
                continue;
            }
            if (len == 0) {
                return i >= length;
            }
            if (i >= length) {
                return false;
            }
            int dot = name.indexOf('.', i);
            int end = dot < 0 || dot > length ? length : dot;
            if (end - i != len) {
                return false;
            }
            for (int j = 0; j < len; j++) {
                if (out.getUnsignedByte(pos + 1 + j) != latin1(name.charAt(i + j))) {
                    return false;
                }
            }
            pos += 1 + len;
            i = end + 1;
        }
        return false;
    }
}
