package dev.knet.dns;

/**
 * A structural check of a DNS message, independent of any codec: the header's counts match the
 * sections, every name is well-formed (backward pointers, labels within 63, names within 255),
 * every RDATA fits, and nothing is left over.
 */
final class WireCheck {

    private WireCheck() {
    }

    static boolean wellFormed(byte[] m) {
        if (m.length < 12) {
            return false;
        }
        int qd = u16(m, 4);
        int records = u16(m, 6) + u16(m, 8) + u16(m, 10);
        int pos = 12;
        for (int i = 0; i < qd; i++) {
            pos = name(m, pos);
            if (pos < 0 || pos + 4 > m.length) {
                return false;
            }
            pos += 4;
        }
        for (int i = 0; i < records; i++) {
            pos = name(m, pos);
            if (pos < 0 || pos + 10 > m.length) {
                return false;
            }
            int rdlength = u16(m, pos + 8);
            pos += 10 + rdlength;
            if (pos > m.length) {
                return false;
            }
        }
        return pos == m.length;
    }

    /** Returns the position after the name, or -1. */
    private static int name(byte[] m, int start) {
        int p = start;
        int end = -1;
        int total = 0;
        int limit = start;
        while (true) {
            if (p >= m.length) {
                return -1;
            }
            int len = m[p] & 0xff;
            if ((len & 0xc0) == 0xc0) {
                if (p + 1 >= m.length) {
                    return -1;
                }
                int target = ((len & 0x3f) << 8) | (m[p + 1] & 0xff);
                if (target >= limit) {
                    return -1;
                }
                if (end < 0) {
                    end = p + 2;
                }
                limit = target;
                p = target;
                continue;
            }
            if (len > 63) {
                return -1;
            }
            if (len == 0) {
                return end < 0 ? p + 1 : end;
            }
            total += len + 1;
            if (total > 255) {
                return -1;
            }
            p += len + 1;
        }
    }

    private static int u16(byte[] m, int at) {
        return ((m[at] & 0xff) << 8) | (m[at + 1] & 0xff);
    }
}
