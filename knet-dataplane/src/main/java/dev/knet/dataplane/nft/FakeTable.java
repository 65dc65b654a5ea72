package dev.knet.dataplane.nft;

import java.util.LinkedHashMap;
import java.util.Map;

/** One table's state inside {@link FakeNftables}; every method either applies an operation or throws. */
final class FakeTable {

    final LinkedHashMap<String, FakeNftables.FakeChain> chains = new LinkedHashMap<>();
    final LinkedHashMap<String, FakeNftables.FakeSet> sets = new LinkedHashMap<>();

    FakeTable copy() {
        FakeTable t = new FakeTable();
        t.chains.putAll(FakeNftables.copyChains(chains));
        sets.forEach((k, v) -> t.sets.put(k, new FakeNftables.FakeSet(v.def, v.elements)));
        return t;
    }

    void add(NftObject obj, NftOp op) throws NftException {
        switch (obj) {
            case NftObject.Table t -> throw new IllegalStateException("tables are handled by the caller");
            case NftObject.Chain c -> {
                FakeNftables.FakeChain old = chains.get(c.name());
                if (old == null) {
                    chains.put(c.name(), new FakeNftables.FakeChain(c, java.util.List.of()));
                } else if (!old.def.equals(c)) {
                    throw FakeNftables.error(NftException.Kind.EXISTS, "chain " + c.name() + " exists with another hook: File exists", op);
                }
            }
            case NftObject.Rule r -> {
                FakeNftables.FakeChain chain = chains.get(r.chain());
                if (chain == null) {
                    throw FakeNftables.notFound("chain " + r.chain(), op);
                }
                checkRefs(r.text(), op);
                chain.rules.add(r.text());
            }
            case NftObject.NftSet s -> addSet(s.name(), s, op);
            case NftObject.NftMap m -> addSet(m.name(), m, op);
            case NftObject.Element e -> addElement(e, op);
        }
    }

    private void addSet(String name, NftObject def, NftOp op) throws NftException {
        FakeNftables.FakeSet old = sets.get(name);
        if (old == null) {
            sets.put(name, new FakeNftables.FakeSet(def, Map.of()));
        } else if (!old.def.equals(def)) {
            throw FakeNftables.error(NftException.Kind.EXISTS, name + " exists with another definition: File exists", op);
        }
    }

    private void addElement(NftObject.Element e, NftOp op) throws NftException {
        FakeNftables.FakeSet set = sets.get(e.set());
        if (set == null) {
            throw FakeNftables.notFound("set " + e.set(), op);
        }
        boolean isMap = set.def instanceof NftObject.NftMap;
        if (isMap != (e.value() != null)) {
            throw FakeNftables.error(NftException.Kind.SYNTAX, "element of " + e.set() + (isMap ? " needs" : " takes no") + " value", op);
        }
        String key = normalize(e.key());
        String value = e.value() == null ? "" : normalize(e.value());
        if (!value.isEmpty()) {
            checkRefs(value, op);
        }
        String old = set.elements.get(key);
        if (old != null && !old.equals(value)) {
            throw FakeNftables.error(NftException.Kind.EXISTS, "Could not process rule: File exists", op);
        }
        set.elements.put(key, value);
    }

    void flush(NftObject obj, NftOp op) throws NftException {
        switch (obj) {
            case NftObject.Chain c -> chain(c.name(), op).rules.clear();
            case NftObject.NftSet s -> set(s.name(), op).elements.clear();
            case NftObject.NftMap m -> set(m.name(), op).elements.clear();
            default -> throw new IllegalStateException("not flushable here: " + obj);
        }
    }

    void delete(NftObject obj, NftOp op) throws NftException {
        switch (obj) {
            case NftObject.Chain c -> {
                FakeNftables.FakeChain chain = chain(c.name(), op);
                if (!chain.rules.isEmpty() || referenced(c.name(), true)) {
                    throw FakeNftables.error(NftException.Kind.OTHER, "chain " + c.name() + ": Device or resource busy", op);
                }
                chains.remove(c.name());
            }
            case NftObject.NftSet s -> deleteSet(s.name(), op);
            case NftObject.NftMap m -> deleteSet(m.name(), op);
            case NftObject.Element e -> {
                FakeNftables.FakeSet set = set(e.set(), op);
                if (set.elements.remove(normalize(e.key())) == null) {
                    throw FakeNftables.notFound("element " + e.key() + " in " + e.set(), op);
                }
            }
            default -> throw new IllegalStateException("not deletable here: " + obj);
        }
    }

    private void deleteSet(String name, NftOp op) throws NftException {
        set(name, op);
        if (referenced(name, false)) {
            throw FakeNftables.error(NftException.Kind.OTHER, "set " + name + ": Device or resource busy", op);
        }
        sets.remove(name);
    }

    private boolean referenced(String name, boolean asChain) {
        for (FakeNftables.FakeChain c : chains.values()) {
            for (String r : c.rules) {
                if ((asChain ? FakeNftables.chainRefs(r) : FakeNftables.setRefs(r)).contains(name)) {
                    return true;
                }
            }
        }
        return asChain && sets.values().stream().flatMap(s -> s.elements.values().stream())
                .anyMatch(v -> FakeNftables.chainRefs(v).contains(name));
    }

    private void checkRefs(String text, NftOp op) throws NftException {
        for (String s : FakeNftables.setRefs(text)) {
            if (!sets.containsKey(s)) {
                throw FakeNftables.notFound("set " + s, op);
            }
        }
        for (String c : FakeNftables.chainRefs(text)) {
            if (!chains.containsKey(c)) {
                throw FakeNftables.notFound("chain " + c, op);
            }
        }
    }

    private FakeNftables.FakeChain chain(String name, NftOp op) throws NftException {
        FakeNftables.FakeChain c = chains.get(name);
        if (c == null) {
            throw FakeNftables.notFound("chain " + name, op);
        }
        return c;
    }

    private FakeNftables.FakeSet set(String name, NftOp op) throws NftException {
        FakeNftables.FakeSet s = sets.get(name);
        if (s == null) {
            throw FakeNftables.notFound("set " + name, op);
        }
        return s;
    }

    static String normalize(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }
}
