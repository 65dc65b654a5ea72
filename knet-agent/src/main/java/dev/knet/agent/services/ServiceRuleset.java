package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftTransaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired content of the services table: its structure (sets, maps, chains, rules) and the elements of
 * each set/map (key to value; "" for a set). A full transaction rewrites the table atomically (in place, keeping
 * remembered affinity); {@link #partialTransaction} diffs two whole rulesets' elements, for tests and
 * benchmarks: the proxy itself diffs only touched services (ServiceRulesetCache).
 */
public record ServiceRuleset(List<NftObject> structure, SortedMap<String, SortedMap<String, String>> elements) {

    public ServiceRuleset {
        structure = List.copyOf(structure);
        SortedMap<String, SortedMap<String, String>> copy = new TreeMap<>();
        elements.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        elements = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Rewrites the whole table in one transaction without deleting it, so the kernel keeps the affinity map's
     * remembered client choices (kube-proxy keeps its affinity sets the same way). What was there before is
     * not known: every object is added (a no-op when it exists alike), every chain and set except affinity is
     * flushed, then rules and elements are written. Objects of an older shape than this one stay behind,
     * unreferenced; a set of another definition makes the transaction fail ({@link #recreateTransaction} then).
     */
    public NftTransaction fullTransaction() {
        return FullTransaction.build(this, null, false);
    }

    /**
     * Like {@link #fullTransaction()} when the table's current structure is known: objects it has that this
     * ruleset lacks are deleted; the affinity map is flushed only when asked (a sticky backend went away).
     */
    NftTransaction fullTransaction(List<NftObject> kernelStructure, boolean flushAffinity) {
        return FullTransaction.build(this, kernelStructure, flushAffinity);
    }

    /** Deletes and recreates the table: the last resort after failures; remembered affinity is lost. */
    public NftTransaction recreateTransaction() {
        NftTransaction tx = new NftTransaction().add(ServiceLayout.TABLE).delete(ServiceLayout.TABLE).add(ServiceLayout.TABLE);
        tx.addAll(structure);
        elements.forEach((set, items) -> items.forEach((k, v) -> tx.add(element(set, k, v))));
        return tx;
    }

    /**
     * Only the element changes from {@code applied}, or empty when the structure differs and a full
     * transaction is needed. A changed map value is a delete then an add: nft refuses to add a key twice.
     * When a sticky-session service loses or changes a backend, remembered client choices are flushed
     * so no client stays pinned to an endpoint that is gone.
     */
    public Optional<NftTransaction> partialTransaction(ServiceRuleset applied) {
        if (!structure.equals(applied.structure) || !elements.keySet().equals(applied.elements.keySet())) {
            return Optional.empty();
        }
        NftTransaction tx = new NftTransaction();
        boolean affinityBackendGone = false;
        for (var e : elements.entrySet()) {
            SortedMap<String, String> want = e.getValue();
            SortedMap<String, String> have = applied.elements.get(e.getKey());
            for (var h : have.entrySet()) {
                String w = want.get(h.getKey());
                if (w == null || !w.equals(h.getValue())) {
                    tx.delete(element(e.getKey(), h.getKey(), h.getValue()));
                    affinityBackendGone |= e.getKey().equals(ServiceLayout.BACKENDS) && isSticky(h.getKey());
                }
            }
            for (var w : want.entrySet()) {
                String h = have.get(w.getKey());
                if (h == null || !h.equals(w.getValue())) {
                    tx.add(element(e.getKey(), w.getKey(), w.getValue()));
                }
            }
        }
        if (affinityBackendGone) {
            tx.flush(structure.stream().filter(o -> o instanceof NftObject.NftMap m && m.name().equals(ServiceLayout.AFFINITY))
                    .map(o -> (NftObject.NftMap) o).findFirst().orElseThrow());
        }
        return Optional.of(tx);
    }

    /** Rules in the structure (a gauge). */
    public long ruleCount() {
        return structure.stream().filter(o -> o instanceof NftObject.Rule).count();
    }

    /** Elements in all sets and maps (a gauge). */
    public long elementCount() {
        return elements.values().stream().mapToLong(Map::size).sum();
    }

    private boolean isSticky(String backendKey) {
        int bucketDot = backendKey.lastIndexOf(" . ");
        String vipKey = backendKey.substring(0, bucketDot);
        return elements.entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith("affinity-") && e.getValue().containsKey(vipKey));
    }

    static Element element(String set, String key, String value) {
        return value.isEmpty() ? Element.of(ServiceLayout.TABLE, set, key) : Element.of(ServiceLayout.TABLE, set, key, value);
    }
}
