package dev.knet.dataplane.nft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful nftables fake. A transaction is applied to a copy of the state and committed only when every
 * operation succeeds, like the kernel's atomic commit. It rejects what the kernel rejects for knet's usage:
 * objects in missing tables, rules that jump to missing chains or name missing sets/maps, duplicate map keys
 * with another value, deleting missing or still-referenced objects. Rules are kept as text, not parsed.
 */
public final class FakeNftables implements Nftables {

    private static final Pattern SET_REF = Pattern.compile("@([A-Za-z_][A-Za-z0-9_.-]*)");
    private static final Pattern CHAIN_REF = Pattern.compile("\\b(?:jump|goto)\\s+([A-Za-z_][A-Za-z0-9_.-]*)");

    private Map<NftObject.Table, FakeTable> tables = new HashMap<>();
    private int transactions;
    private NftException failNext;
    private boolean fastElementBatches;

    @Override
    public synchronized void run(NftTransaction transaction) throws NftException {
        if (failNext != null) {
            NftException e = failNext;
            failNext = null;
            throw e;
        }
        Map<NftObject.Table, FakeTable> copy = new HashMap<>();
        tables.forEach((k, v) -> copy.put(k, v.copy()));
        for (NftOp op : transaction.ops()) {
            apply(copy, op);
        }
        tables = copy;
        transactions++;
    }

    /** Makes the next {@link #run} fail with the given error, leaving the state unchanged. */
    public synchronized void failNextRun(NftException error) {
        failNext = error;
    }

    /** Whether this fake claims element-only transactions are cheap (as libnftables with netlink batches does). */
    public synchronized void fastElementBatches(boolean fast) {
        fastElementBatches = fast;
    }

    @Override
    public synchronized boolean fastElementBatches() {
        return fastElementBatches;
    }

    /** Number of transactions committed so far. */
    public synchronized int transactions() {
        return transactions;
    }

    public synchronized NftState state() {
        Map<NftObject.Table, NftState.TableState> out = new HashMap<>();
        tables.forEach((t, ft) -> {
            Map<String, NftState.ChainState> chains = new HashMap<>();
            ft.chains.forEach((n, c) -> chains.put(n, new NftState.ChainState(c.def, c.rules)));
            Map<String, NftState.SetState> sets = new HashMap<>();
            ft.sets.forEach((n, s) -> sets.put(n, new NftState.SetState(s.def, s.elements)));
            out.put(t, new NftState.TableState(chains, sets));
        });
        return new NftState(out);
    }

    /** Sorted, stable text in {@code nft -f} syntax: tables, chains, sets/maps, rules, then elements. */
    @Override
    public synchronized String dump() {
        StringBuilder b = new StringBuilder();
        List<NftObject.Table> sorted = new ArrayList<>(tables.keySet());
        sorted.sort(Comparator.comparing((NftObject.Table t) -> t.family()).thenComparing(NftObject.Table::name));
        for (NftObject.Table t : sorted) {
            FakeTable ft = tables.get(t);
            b.append("add ").append(t.render()).append('\n');
            new TreeMap<>(ft.chains).values().forEach(c -> b.append("add ").append(c.def.render()).append('\n'));
            new TreeMap<>(ft.sets).values().forEach(s -> b.append("add ").append(s.def.render()).append('\n'));
            new TreeMap<>(ft.chains).forEach((name, c) -> c.rules.forEach(r ->
                    b.append("add rule ").append(t.prefix()).append(' ').append(name).append(' ').append(r).append('\n')));
            new TreeMap<>(ft.sets).forEach((name, s) -> s.elements.forEach((k, v) ->
                    b.append("add element ").append(t.prefix()).append(' ').append(name).append(" { ")
                            .append(v.isEmpty() ? k : k + " : " + v).append(" }\n")));
        }
        return b.toString();
    }

    /** Lists one object in the dump's syntax; NOT_FOUND when it is not there. */
    @Override
    public synchronized String list(NftObject.Flushable object) throws NftException {
        NftOp op = new NftOp.Flush(object);
        FakeTable ft = tables.get(object.table());
        if (ft == null) {
            throw notFound("table " + object.table().prefix(), op);
        }
        String prefix = object.table().prefix();
        StringBuilder b = new StringBuilder();
        switch (object) {
            case NftObject.Table t -> {
                return dump().lines().filter(l -> l.startsWith("add ") && l.contains(" " + prefix + " ") || l.equals("add " + t.render()))
                        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            }
            case NftObject.Chain c -> {
                FakeChain chain = ft.chains.get(c.name());
                if (chain == null) {
                    throw notFound("chain " + c.name(), op);
                }
                b.append("add ").append(chain.def.render()).append('\n');
                chain.rules.forEach(r -> b.append("add rule ").append(prefix).append(' ').append(c.name()).append(' ').append(r).append('\n'));
            }
            case NftObject.NftSet s -> listSet(ft, s.name(), prefix, op, b);
            case NftObject.NftMap m -> listSet(ft, m.name(), prefix, op, b);
        }
        return b.toString();
    }

    private static void listSet(FakeTable ft, String name, String prefix, NftOp op, StringBuilder b) throws NftException {
        FakeSet set = ft.sets.get(name);
        if (set == null) {
            throw notFound("set " + name, op);
        }
        b.append("add ").append(set.def.render()).append('\n');
        set.elements.forEach((k, v) -> b.append("add element ").append(prefix).append(' ').append(name).append(" { ")
                .append(v.isEmpty() ? k : k + " : " + v).append(" }\n"));
    }

    private static void apply(Map<NftObject.Table, FakeTable> state, NftOp op) throws NftException {
        NftObject obj = op.object();
        if (obj instanceof NftObject.Table t) {
            applyTable(state, op, t);
            return;
        }
        FakeTable table = state.get(obj.table());
        if (table == null) {
            throw notFound("table " + obj.table().prefix(), op);
        }
        switch (op) {
            case NftOp.Add add -> table.add(add.object(), op);
            case NftOp.Flush flush -> table.flush(flush.object(), op);
            case NftOp.Delete delete -> table.delete(delete.object(), op);
        }
    }

    private static void applyTable(Map<NftObject.Table, FakeTable> state, NftOp op, NftObject.Table t)
            throws NftException {
        switch (op) {
            case NftOp.Add a -> state.putIfAbsent(t, new FakeTable());
            case NftOp.Flush f -> {
                FakeTable ft = state.get(t);
                if (ft == null) {
                    throw notFound(t.ref(), op);
                }
                ft.chains.values().forEach(c -> c.rules.clear());
                ft.sets.values().forEach(s -> s.elements.clear());
            }
            case NftOp.Delete d -> {
                if (state.remove(t) == null) {
                    throw notFound(t.ref(), op);
                }
            }
        }
    }

    static NftException notFound(String what, NftOp op) {
        return error(NftException.Kind.NOT_FOUND, what + ": No such file or directory", op);
    }

    static NftException error(NftException.Kind kind, String text, NftOp op) {
        String stderr = "Error: " + text + "\n" + op.line() + "\n";
        return new NftException(kind, "nft failed (" + kind + "): " + text, stderr);
    }

    static List<String> setRefs(String text) {
        return refs(SET_REF, text);
    }

    static List<String> chainRefs(String text) {
        return refs(CHAIN_REF, text);
    }

    private static List<String> refs(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static final class FakeChain {
        final NftObject.Chain def;
        final List<String> rules;

        FakeChain(NftObject.Chain def, List<String> rules) {
            this.def = def;
            this.rules = new ArrayList<>(rules);
        }
    }

    static final class FakeSet {
        final NftObject def;
        final TreeMap<String, String> elements;

        FakeSet(NftObject def, Map<String, String> elements) {
            this.def = def;
            this.elements = new TreeMap<>(elements);
        }
    }

    /** Chains keep insertion order so rule references can be checked; dump() sorts anyway. */
    static LinkedHashMap<String, FakeChain> copyChains(Map<String, FakeChain> in) {
        LinkedHashMap<String, FakeChain> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, new FakeChain(v.def, v.rules)));
        return out;
    }
}
