package dev.knet.dataplane.netlink;

import java.util.List;
import java.util.Objects;

/**
 * Elements to add to (or delete from) one nf_tables set or map, already in the kernel's binary form: what one
 * {@code add element} or {@code delete element} statement of nft becomes. {@code family} is the table's
 * NFPROTO_* number (2 for ip).
 */
public record NfElementOp(boolean add, int family, String table, String set, List<Element> elements) {

    public NfElementOp {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(set, "set");
        elements = List.copyOf(elements);
    }

    /** One element: its key and, in a map, its data (null in a set or for a delete). */
    public record Element(byte[] key, Data data) {
        public Element {
            Objects.requireNonNull(key, "key");
        }
    }

    /** A map element's data: plain bytes, or a verdict (with the chain of a jump or goto). */
    public sealed interface Data permits Value, Verdict {
    }

    public record Value(byte[] bytes) implements Data {
    }

    /** {@code code} as nf_tables numbers verdicts: 0 drop, 1 accept, -3 jump, -4 goto, -5 return. */
    public record Verdict(int code, String chain) implements Data {
        public static final int DROP = 0;
        public static final int ACCEPT = 1;
        public static final int CONTINUE = -1;
        public static final int JUMP = -3;
        public static final int GOTO = -4;
        public static final int RETURN = -5;
    }

    String describe() {
        return (add ? "add" : "delete") + " element (family " + family + ") " + table + " " + set + " ("
                + elements.size() + (elements.size() == 1 ? " element)" : " elements)");
    }
}
