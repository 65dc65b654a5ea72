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

    /** One operation, or consecutive element additions (or deletions) on one set, gathered in order. */
    sealed interface Segment permits Single, ElementRun {
    }

    record Single(NftOp op) implements Segment {
    }

    record ElementRun(boolean add, NftObject.Table table, String set, List<NftObject.Element> elements) implements Segment {
    }

    /** The operations with each run of element operations of one kind on one set gathered; order is kept. */
    List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        ElementRun run = null;
        for (NftOp op : ops) {
            NftObject.Element e = switch (op) {
                case NftOp.Add(NftObject.Element a) -> a;
                case NftOp.Delete(NftObject.Element d) -> d;
                default -> null;
            };
            boolean add = op instanceof NftOp.Add;
            if (e != null && run != null && run.add() == add && run.table().equals(e.table()) && run.set().equals(e.set())) {
                run.elements().add(e);
                continue;
            }
            if (e != null) {
                run = new ElementRun(add, e.table(), e.set(), new ArrayList<>(List.of(e)));
                out.add(run);
            } else {
                run = null;
                out.add(new Single(op));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(ops.size() * 48);
        for (Segment segment : segments()) {
            switch (segment) {
                case Single(NftOp op) -> out.append(op.line()).append('\n');
                case ElementRun run -> {
                    for (int from = 0; from < run.elements().size(); from += ELEMENTS_PER_LINE) {
                        appendElements(out, run, from, Math.min(run.elements().size(), from + ELEMENTS_PER_LINE));
                    }
                }
            }
        }
        return out.toString();
    }

    /** One statement for elements [from, to) of the run. */
    private static void appendElements(StringBuilder out, ElementRun run, int from, int to) {
        out.append(run.add() ? "add" : "delete").append(" element ").append(run.table().prefix()).append(' ')
                .append(run.set()).append(" { ");
        for (int i = from; i < to; i++) {
            NftObject.Element e = run.elements().get(i);
            if (i > from) {
                out.append(", ");
            }
            out.append(run.add() ? e.item() : e.key());
        }
        out.append(" }\n");
    }
}
