package dev.knet.dataplane.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes element operations as one nf_tables netlink batch: a batch-begin message, NEWSETELEM/DELSETELEM
 * messages (the last of them asking for an acknowledgement), a batch-end message. The kernel applies a batch
 * as one transaction, all of it or none. Each message holds up to {@link #ELEMENTS_BYTES} bytes of elements, because the nested attribute that carries
 * them has a 16-bit length.
 */
final class NfTablesBatch {

    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int BATCH_BEGIN = 0x10;
    static final int BATCH_END = 0x11;
    private static final int NEWSETELEM = NFNL_SUBSYS_NFTABLES << 8 | 12;
    private static final int DELSETELEM = NFNL_SUBSYS_NFTABLES << 8 | 14;
    private static final int NESTED = 0x8000;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    private static final int LIST_TABLE = 1;
    private static final int LIST_SET = 2;
    private static final int LIST_ELEMENTS = 3;
    private static final int LIST_ELEM = 1;
    private static final int ELEM_KEY = 1;
    private static final int ELEM_DATA = 2;
    private static final int DATA_VALUE = 1;
    private static final int DATA_VERDICT = 2;
    private static final int VERDICT_CODE = 1;
    private static final int VERDICT_CHAIN = 2;
    static final int ELEMENTS_BYTES = 60_000;
    private static final int MESSAGE_BYTES = ELEMENTS_BYTES + 1024;

    /** One message of the batch and the operation it came from (for error messages). */
    record Part(NlMessage message, int opIndex) {
    }

    private NfTablesBatch() {
    }

    /** The batch's messages in order, begin and end included. */
    static List<Part> encode(List<NfElementOp> ops) {
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(new NlMessage(BATCH_BEGIN, 0, "batch begin", 64).nfgen(0, NFNL_SUBSYS_NFTABLES), -1));
        for (int i = 0; i < ops.size(); i++) {
            NfElementOp op = ops.get(i);
            NlMessage m = null;
            for (NfElementOp.Element e : op.elements()) {
                byte[] attribute = element(e);
                if (attribute.length > ELEMENTS_BYTES) {
                    throw new IllegalArgumentException("an element of " + op.set() + " is too large: "
                            + attribute.length + " bytes");
                }
                if (m != null && m.size() + attribute.length > ELEMENTS_BYTES) {
                    parts.add(new Part(m.endNest(), i));
                    m = null;
                }
                if (m == null) {
                    m = start(op);
                }
                m.raw(attribute);
            }
            if (m != null) {
                parts.add(new Part(m.endNest(), i));
            }
        }
        if (parts.size() > 1) {
            // the one message acknowledged on success: see NfTablesSocket for why
            parts.getLast().message().requestAck();
        }
        parts.add(new Part(new NlMessage(BATCH_END, 0, "batch end", 64).nfgen(0, NFNL_SUBSYS_NFTABLES), -1));
        return parts;
    }

    private static NlMessage start(NfElementOp op) {
        int flags = op.add() ? NlMessage.F_CREATE : 0;
        return new NlMessage(op.add() ? NEWSETELEM : DELSETELEM, flags, op.describe(), MESSAGE_BYTES)
                .nfgen(op.family(), 0)
                .attrString(LIST_TABLE, op.table())
                .attrString(LIST_SET, op.set())
                .beginNest(LIST_ELEMENTS | NESTED);
    }

    /**
     * One element as a ready LIST_ELEM attribute (every part padded to 4), written straight into an array: at agent start this runs for
     * 70,000 elements in a JVM still warming up, where a call per attribute header shows.
     */
    private static byte[] element(NfElementOp.Element e) {
        int keyValue = 4 + e.key().length;
        int key = 4 + align(keyValue);
        // ELEM_DATA with its nested value, or with VERDICT holding CODE and, for a jump or goto, CHAIN
        int data = switch (e.data()) {
            case null -> 0;
            case NfElementOp.Value v -> 4 + align(4 + v.bytes().length);
            case NfElementOp.Verdict v -> 4 + 4 + 8 + (v.chain() == null ? 0 : align(4 + v.chain().length() + 1));
        };
        byte[] out = new byte[4 + key + data];
        int at = 0;
        at = header(out, at, 4 + key + data, LIST_ELEM | NESTED);
        at = header(out, at, key, ELEM_KEY | NESTED);
        at = header(out, at, keyValue, DATA_VALUE);
        System.arraycopy(e.key(), 0, out, at, e.key().length);
        at += align(e.key().length);
        switch (e.data()) {
            case null -> {
            }
            case NfElementOp.Value v -> {
                at = header(out, at, data, ELEM_DATA | NESTED);
                at = header(out, at, 4 + v.bytes().length, DATA_VALUE);
                System.arraycopy(v.bytes(), 0, out, at, v.bytes().length);
            }
            case NfElementOp.Verdict v -> {
                at = header(out, at, data, ELEM_DATA | NESTED);
                at = header(out, at, data - 4, DATA_VERDICT | NESTED);
                at = header(out, at, 8, VERDICT_CODE);
                byte[] code = bigEndian(v.code());
                System.arraycopy(code, 0, out, at, 4);
                at += 4;
                if (v.chain() != null) {
                    at = header(out, at, 4 + v.chain().length() + 1, VERDICT_CHAIN);
                    for (int i = 0; i < v.chain().length(); i++) {
                        out[at + i] = (byte) v.chain().charAt(i);
                    }
                }
            }
        }
        return out;
    }

    /** An attribute header (length, type) in host byte order; returns where its payload starts. */
    private static int header(byte[] out, int at, int length, int type) {
        put16(out, at, length);
        put16(out, at + 2, type);
        return at + 4;
    }

    private static void put16(byte[] out, int at, int v) {
        out[at + (LITTLE_ENDIAN ? 0 : 1)] = (byte) v;
        out[at + (LITTLE_ENDIAN ? 1 : 0)] = (byte) (v >> 8);
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    private static byte[] bigEndian(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
