package dev.knet.dns.index;

import java.util.HashMap;
import java.util.Map;

/**
 * An immutable map from names to values, split into fixed shards so that a change copies only
 * the shards holding the names it touches: the other shards are shared with the previous table.
 * This is what lets the index publish a new zone after one Service changes without copying the
 * whole zone (a full copy grows with the cluster; a shard copy stays near 1/256 of it).
 */
final class NameTable<V> {

    private static final int SHARDS = 256;
    private static final NameTable<?> EMPTY = new NameTable<>(emptyShards(), 0);

    private final Map<String, V>[] shards;
    private final int size;

    private NameTable(Map<String, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V>[] emptyShards() {
        Map<String, V>[] shards = new Map[SHARDS];
        java.util.Arrays.fill(shards, Map.of());
        return shards;
    }

    @SuppressWarnings("unchecked")
    static <V> NameTable<V> empty() {
        return (NameTable<V>) EMPTY;
    }

    /**
     * The top bits of a multiplicative hash: independent of the low bits that HashMap uses for its
     * buckets inside a shard (taking the low bits here would put every name of a shard into the
     * same few buckets, and HashMap would degrade them to trees).
     */
    private static int shardOf(String name) {
        return (name.hashCode() * 0x9E3779B9) >>> 24;
    }

    V get(String name) {
        return shards[shardOf(name)].get(name);
    }

    boolean containsKey(String name) {
        return shards[shardOf(name)].containsKey(name);
    }

    /** Every entry, in no particular order (for tests and diagnostics, not the query path). */
    void forEach(java.util.function.BiConsumer<String, V> action) {
        for (Map<String, V> shard : shards) {
            shard.forEach(action);
        }
    }

    int size() {
        return size;
    }

    /** A new table with the changes applied; a null value removes the name. This table is unchanged. */
    NameTable<V> with(Map<String, V> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<String, V>[] next = shards.clone();
        boolean[] copied = new boolean[SHARDS];
        int newSize = size;
        for (Map.Entry<String, V> change : changes.entrySet()) {
            int s = shardOf(change.getKey());
            if (!copied[s]) {
                next[s] = new HashMap<>(next[s]);
                copied[s] = true;
            }
            V before = change.getValue() == null ? next[s].remove(change.getKey()) : next[s].put(change.getKey(), change.getValue());
            if (before == null && change.getValue() != null) {
                newSize++;
            } else if (before != null && change.getValue() == null) {
                newSize--;
            }
        }
        return new NameTable<>(next, newSize);
    }
}
