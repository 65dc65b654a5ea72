package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftTransaction;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired content of the policy table for one node: its structure (sets, maps, chains, rules, in an
 * order nft accepts) and the elements of each set/map (key to value; "" for a set).
 */
public record PolicyRuleset(List<NftObject> structure, SortedMap<String, SortedMap<String, String>> elements) {

    public PolicyRuleset {
        structure = List.copyOf(structure);
        SortedMap<String, SortedMap<String, String>> copy = new TreeMap<>();
        elements.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        elements = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Replaces the whole table in one transaction: add (so the delete cannot fail on a first sync), delete,
     * recreate. nft commits a transaction atomically, so a packet sees either the old table or the new one:
     * never a moment where a deny is missing or an allow is lost.
     */
    public NftTransaction fullTransaction() {
        NftTransaction tx = new NftTransaction().add(PolicyLayout.TABLE).delete(PolicyLayout.TABLE).add(PolicyLayout.TABLE);
        tx.addAll(structure);
        elements.forEach((set, items) -> items.forEach((k, v) -> tx.add(v.isEmpty()
                ? Element.of(PolicyLayout.TABLE, set, k) : Element.of(PolicyLayout.TABLE, set, k, v))));
        return tx;
    }

    /** Removes the table (the agent stopping enforcement on this node). */
    public static NftTransaction removal() {
        return new NftTransaction().add(PolicyLayout.TABLE).delete(PolicyLayout.TABLE);
    }

    public long ruleCount() {
        return structure.stream().filter(o -> o instanceof NftObject.Rule).count();
    }

    public long setCount() {
        return structure.stream().filter(o -> o instanceof NftObject.NftSet || o instanceof NftObject.NftMap).count();
    }

    public long elementCount() {
        return elements.values().stream().mapToLong(Map::size).sum();
    }
}
