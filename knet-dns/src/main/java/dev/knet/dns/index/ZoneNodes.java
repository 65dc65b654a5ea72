package dev.knet.dns.index;

import dev.knet.dns.index.Contribution.PtrClaim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The zone's names as the writer side keeps them: for every name, which objects put records
 * there, how many child names exist below it (an empty non-terminal exists while it has any) and
 * the PTR claims on it. {@link #set} replaces one object's contribution and marks the names whose
 * content changed; {@link #publish} recomputes just those names (and ancestors whose existence
 * flips) and copies them into a new {@link NameTable}, sharing everything else with the previous
 * snapshot. Not thread-safe: the index calls it under its write lock.
 */
final class ZoneNodes {

    private final ZoneSettings settings;
    private final Map<String, Contribution> byObject = new HashMap<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Integer> podAddressCounts = new HashMap<>();
    private final Set<String> dirtyNames = new LinkedHashSet<>();
    private final Set<String> dirtyPodAddresses = new LinkedHashSet<>();
    private NameTable<Map<Integer, List<ResourceRecord>>> table = NameTable.empty();
    private NameTable<Boolean> podAddresses = NameTable.empty();

    /** Records per contributing object in key order (Services sort before pods); touches only counted. */
    private static final class Node {
        final TreeMap<String, List<ResourceRecord>> records = new TreeMap<>();
        final Map<PtrClaim, Integer> ptrClaims = new HashMap<>();
        int touches;
        int children;
        boolean published;

        boolean exists() {
            return !records.isEmpty() || touches > 0 || children > 0 || !ptrClaims.isEmpty();
        }
    }

    ZoneNodes(ZoneSettings settings) {
        this.settings = settings;
    }

    /**
     * Replaces what the object under {@code key} contributes ({@link Contribution#NONE} removes it).
     * Keys order records that several objects put at one name.
     */
    void set(String key, Contribution next) {
        Contribution previous = Objects.requireNonNullElse(
                next == Contribution.NONE ? byObject.remove(key) : byObject.put(key, next), Contribution.NONE);
        if (previous.equals(next)) {
            return;
        }
        previous.names().forEach((name, records) -> {
            if (!Objects.equals(next.names().get(name), records)) {
                Node node = nodes.get(name);
                if (records.isEmpty()) {
                    node.touches--;
                } else {
                    node.records.remove(key);
                }
                dirtyNames.add(name);
            }
        });
        next.names().forEach((name, records) -> {
            if (!Objects.equals(previous.names().get(name), records)) {
                Node node = nodes.computeIfAbsent(name, n -> new Node());
                if (records.isEmpty()) {
                    node.touches++;
                } else {
                    node.records.put(key, records);
                }
                dirtyNames.add(name);
            }
        });
        if (!previous.ptrs().equals(next.ptrs())) {
            previous.ptrs().forEach(claim -> claim(claim, -1));
            next.ptrs().forEach(claim -> claim(claim, +1));
        }
        if (!previous.podAddresses().equals(next.podAddresses())) {
            previous.podAddresses().forEach(a -> countPodAddress(a, -1));
            next.podAddresses().forEach(a -> countPodAddress(a, +1));
        }
    }

    private void claim(PtrClaim claim, int delta) {
        Node node = nodes.computeIfAbsent(claim.reverse(), n -> new Node());
        if (node.ptrClaims.merge(claim, delta, Integer::sum) == 0) {
            node.ptrClaims.remove(claim);
        }
        dirtyNames.add(claim.reverse());
    }

    private void countPodAddress(String key, int delta) {
        if (podAddressCounts.merge(key, delta, Integer::sum) == 0) {
            podAddressCounts.remove(key);
        }
        dirtyPodAddresses.add(key);
    }

    /** Whether {@link #set} changed anything since the last {@link #publish}. */
    boolean hasChanges() {
        return !dirtyNames.isEmpty() || !dirtyPodAddresses.isEmpty();
    }

    /** Applies the pending changes and returns the new snapshot (the same tables when nothing changed). */
    ZoneSnapshot publish(long serial) {
        Map<String, Map<Integer, List<ResourceRecord>>> changes = new HashMap<>();
        ArrayDeque<String> work = new ArrayDeque<>(dirtyNames);
        dirtyNames.clear();
        while (!work.isEmpty()) {
            String name = work.poll();
            Node node = nodes.get(name);
            if (node != null && node.exists()) {
                changes.put(name, rrsets(node));
                if (!node.published) {
                    node.published = true;
                    childExists(name, +1, work);
                }
            } else {
                changes.put(name, null);
                if (node != null) {
                    nodes.remove(name);
                    if (node.published) {
                        childExists(name, -1, work);
                    }
                }
            }
        }
        table = table.with(changes);
        Map<String, Boolean> addressChanges = new HashMap<>();
        for (String key : dirtyPodAddresses) {
            addressChanges.put(key, podAddressCounts.containsKey(key) ? Boolean.TRUE : null);
        }
        dirtyPodAddresses.clear();
        podAddresses = podAddresses.with(addressChanges);
        return new ZoneSnapshot(settings, table, podAddresses, serial);
    }

    /** Names below the apex keep their parent in existence (empty non-terminals: NODATA, not NXDOMAIN). */
    private void childExists(String name, int delta, ArrayDeque<String> work) {
        String zone = settings.zone();
        if (name.equals(zone) || !name.endsWith("." + zone)) {
            return;
        }
        String parent = name.substring(name.indexOf('.') + 1);
        nodes.computeIfAbsent(parent, n -> new Node()).children += delta;
        work.add(parent);
    }

    /** The RRsets of one name: every object's records in key order, each record once, and the winning PTR. */
    private Map<Integer, List<ResourceRecord>> rrsets(Node node) {
        Map<Integer, List<ResourceRecord>> merged = new LinkedHashMap<>();
        for (List<ResourceRecord> records : node.records.values()) {
            for (ResourceRecord record : records) {
                List<ResourceRecord> rrset = merged.computeIfAbsent(record.type(), t -> new ArrayList<>());
                if (!rrset.contains(record)) {
                    rrset.add(record);
                }
            }
        }
        if (!node.ptrClaims.isEmpty()) {
            PtrClaim best = node.ptrClaims.keySet().stream().min(PtrClaim::compareTo).orElseThrow();
            String reverse = node.ptrClaims.keySet().iterator().next().reverse();
            merged.computeIfAbsent(RecordTypes.PTR, t -> new ArrayList<>())
                    .add(new ResourceRecord(reverse, settings.ttl(), new RecordData.Ptr(best.target())));
        }
        Map<Integer, List<ResourceRecord>> frozen = new LinkedHashMap<>();
        merged.forEach((type, list) -> frozen.put(type, List.copyOf(list)));
        return Map.copyOf(frozen);
    }
}
