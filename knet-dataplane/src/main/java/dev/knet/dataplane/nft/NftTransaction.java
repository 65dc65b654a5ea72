package dev.knet.dataplane.nft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An ordered list of operations applied atomically by one {@code nft -f} run. {@link #toString()} is the exact
 * text handed to nft. Consecutive element additions (or deletions) on the same set are merged into one statement
 * of up to {@link #ELEMENTS_PER_LINE} elements: nft parses one element list much faster than one statement per
 * element (70,000 map elements: ~2.4 s one per line, ~1.55 s in lists of 1,000; lists of 5,000 or one list of
 * 70,000 were no faster, so the bound only keeps lines and error messages small).
 */
public final class NftTransaction {

    static final int ELEMENTS_PER_LINE = 1000;

    private final List<NftOp> ops = new ArrayList<>();

    public NftTransaction add(NftObject object) {
        ops.add(new NftOp.Add(object));
        return this;
    }

    public NftTransaction addAll(Collection<? extends NftObject> objects) {
        objects.forEach(this::add);
        return this;
    }

    public NftTransaction flush(NftObject.Flushable object) {
        ops.add(new NftOp.Flush(object));
        return this;
    }

    public NftTransaction delete(NftObject.Deletable object) {
        ops.add(new NftOp.Delete(object));
        return this;
    }

    /**
     * This transaction cut before its closing run of element additions: {@code elements} is that run (empty when
     * the transaction does not end in one), {@code head} the rest, in order.
     */
    public record Split(NftTransaction head, NftTransaction elements) {
    }

    public Split splitTrailingElements() {
        int cut = ops.size();
        while (cut > 0 && ops.get(cut - 1) instanceof NftOp.Add(NftObject.Element e)) {
            cut--;
        }
        NftTransaction head = new NftTransaction();
        NftTransaction elements = new NftTransaction();
        head.ops.addAll(ops.subList(0, cut));
        elements.ops.addAll(ops.subList(cut, ops.size()));
        return new Split(head, elements);
    }

    public List<NftOp> ops() {
        return List.copyOf(ops);
    }

    public int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(ops.size() * 48);
        int i = 0;
        while (i < ops.size()) {
            i = switch (ops.get(i)) {
                case NftOp.Add(NftObject.Element first) -> appendElements(out, i, "add", first);
                case NftOp.Delete(NftObject.Element first) -> appendElements(out, i, "delete", first);
                case NftOp op -> {
                    out.append(op.line()).append('\n');
                    yield i + 1;
                }
            };
        }
        return out.toString();
    }

    /**
     * Appends one statement for the run of element operations of the same kind on the same set starting at
     * {@code from}; returns the index after the run. Order is kept: a run ends at the first other operation.
     */
    private int appendElements(StringBuilder out, int from, String verb, NftObject.Element first) {
        boolean add = verb.equals("add");
        out.append(verb).append(" element ").append(first.table().prefix()).append(' ').append(first.set())
                .append(" { ").append(add ? first.item() : first.key());
        int i = from + 1;
        while (i < ops.size() && i - from < ELEMENTS_PER_LINE) {
            NftObject.Element next = sameRun(ops.get(i), add, first);
            if (next == null) {
                break;
            }
            out.append(", ").append(add ? next.item() : next.key());
            i++;
        }
        out.append(" }\n");
        return i;
    }

    private static NftObject.Element sameRun(NftOp op, boolean add, NftObject.Element first) {
        NftObject.Element e = switch (op) {
            case NftOp.Add(NftObject.Element a) when add -> a;
            case NftOp.Delete(NftObject.Element d) when !add -> d;
            default -> null;
        };
        return e != null && e.table().equals(first.table()) && e.set().equals(first.set()) ? e : null;
    }
}
