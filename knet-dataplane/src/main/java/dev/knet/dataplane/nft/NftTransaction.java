package dev.knet.dataplane.nft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An ordered list of operations applied atomically by one {@code nft -f} run. {@link #toString()} is the exact
 * text handed to nft. Consecutive element additions to the same set are merged into one line (up to
 * {@link #ELEMENTS_PER_LINE}) because nft parses one large element list much faster than many small ones.
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
            NftOp op = ops.get(i);
            if (op instanceof NftOp.Add(NftObject.Element first)) {
                out.append("add element ").append(first.table().prefix()).append(' ').append(first.set())
                        .append(" { ").append(first.item());
                int merged = 1;
                i++;
                while (i < ops.size() && merged < ELEMENTS_PER_LINE
                        && ops.get(i) instanceof NftOp.Add(NftObject.Element next)
                        && next.table().equals(first.table()) && next.set().equals(first.set())) {
                    out.append(", ").append(next.item());
                    merged++;
                    i++;
                }
                out.append(" }\n");
            } else {
                out.append(op.line()).append('\n');
                i++;
            }
        }
        return out.toString();
    }
}
