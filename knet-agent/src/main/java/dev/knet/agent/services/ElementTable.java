package dev.knet.agent.services;

import dev.knet.agent.services.ServiceElements.Need;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The services table's elements as the sum of every contribution, kept up to date one contribution at a time.
 * A key claimed by several contributions (a hairpin pair shared by two services, or two services that
 * conflict) keeps every claim; the one of the greatest {@link ServiceKey} wins, exactly as when all services
 * are folded in key order, so an incremental table always equals one built from scratch. Structure needs are
 * counted the same way: a bucket chain stays needed while any contribution needs it.
 */
final class ElementTable {

    /** The owner of the node's own elements; sorts before every Service. */
    static final ServiceKey NODE = new ServiceKey("", "");

    /** Sets and maps that exist whatever the services are (affinity-T and sticky-nodeports come with needs). */
    static final List<String> STANDARD_SETS = List.of(ServiceLayout.SERVICE_IPS, ServiceLayout.MASQ_FROM_OUTSIDE,
            ServiceLayout.NODE_IPS, ServiceLayout.NODEPORTS, ServiceLayout.BACKENDS, ServiceLayout.NODEPORT_BACKENDS,
            ServiceLayout.NO_ENDPOINTS, ServiceLayout.NO_ENDPOINT_NODEPORTS, ServiceLayout.HAIRPIN,
            ServiceLayout.POD_SERVICE_IPS, ServiceLayout.POD_NODEPORTS, ServiceLayout.POD_BACKENDS,
            ServiceLayout.POD_NODEPORT_BACKENDS, ServiceLayout.NO_LOCAL_ENDPOINTS, ServiceLayout.NO_LOCAL_NODEPORTS);

    /** One effective element change: before or after is null when the element is absent. */
    record Change(String set, String key, String before, String after) {
    }

    /** Collects the effective changes of one or more replacements; a key changed twice keeps its first "before". */
    static final class Delta {
        private final Map<List<String>, String[]> changes = new LinkedHashMap<>();

        void record(String set, String key, String before, String after) {
            changes.computeIfAbsent(List.of(set, key), k -> new String[] {before, null})[1] = after;
        }

        List<Change> changes() {
            return changes.entrySet().stream()
                    .filter(e -> !Objects.equals(e.getValue()[0], e.getValue()[1]))
                    .map(e -> new Change(e.getKey().get(0), e.getKey().get(1), e.getValue()[0], e.getValue()[1]))
                    .toList();
        }
    }

    private record Claim(ServiceKey owner, String value) {
    }

    /** set -> its elements, sorted (the text nft gets is deterministic); the sets themselves are sorted on output. */
    private final Map<String, TreeMap<String, String>> effective = new HashMap<>();
    /** set -> key -> Claim, or a TreeMap of owner to value when several contributions claim the key. */
    private final Map<String, Map<String, Object>> claims = new HashMap<>();
    private final SortedMap<Need, Integer> needs = new TreeMap<>();
    private long size;

    ElementTable() {
        STANDARD_SETS.forEach(s -> effective.put(s, new TreeMap<>()));
    }

    /** Replaces {@code owner}'s contribution {@code old} by {@code now}, recording effective changes in delta. */
    void replace(ServiceKey owner, ServiceElements old, ServiceElements now, Delta delta) {
        old.elements().forEach((set, items) -> {
            SortedMap<String, String> keep = now.elements().getOrDefault(set, java.util.Collections.emptySortedMap());
            items.forEach((key, value) -> {
                if (!value.equals(keep.get(key))) {
                    unclaim(owner, set, key, delta);
                }
            });
        });
        now.elements().forEach((set, items) -> {
            SortedMap<String, String> had = old.elements().getOrDefault(set, java.util.Collections.emptySortedMap());
            items.forEach((key, value) -> {
                if (!value.equals(had.get(key))) {
                    claim(owner, set, key, value, delta);
                }
            });
        });
        old.needs().forEach(n -> needs.computeIfPresent(n, (k, c) -> c == 1 ? null : c - 1));
        now.needs().forEach(n -> needs.merge(n, 1, Integer::sum));
    }

    SortedSet<Need> needs() {
        return new TreeSet<>(needs.keySet());
    }

    long size() {
        return size;
    }

    /** The whole table as a ruleset value (copies every element: for tests). */
    ServiceRuleset ruleset(NodeInfo node) {
        return new ServiceRuleset(ServiceLayout.structure(node, needs()), elements());
    }

    /** Every set's elements, the standard sets even when empty; a read-only view, valid until the next change. */
    SortedMap<String, SortedMap<String, String>> elements() {
        SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
        effective.forEach((set, items) -> {
            if (!items.isEmpty() || STANDARD_SETS.contains(set)) {
                out.put(set, Collections.unmodifiableSortedMap(items));
            }
        });
        return Collections.unmodifiableSortedMap(out);
    }

    private void claim(ServiceKey owner, String set, String key, String value, Delta delta) {
        Map<String, Object> bySet = claims.computeIfAbsent(set, s -> new HashMap<>());
        Object cur = bySet.get(key);
        String before = effectiveOf(cur);
        Object next;
        if (cur == null) {
            next = new Claim(owner, value);
        } else if (cur instanceof Claim c && c.owner().equals(owner)) {
            next = new Claim(owner, value);
        } else if (cur instanceof Claim c) {
            TreeMap<ServiceKey, String> many = new TreeMap<>();
            many.put(c.owner(), c.value());
            many.put(owner, value);
            next = many;
        } else {
            @SuppressWarnings("unchecked")
            TreeMap<ServiceKey, String> many = (TreeMap<ServiceKey, String>) cur;
            many.put(owner, value);
            next = many;
        }
        bySet.put(key, next);
        settle(set, key, before, effectiveOf(next), delta);
    }

    private void unclaim(ServiceKey owner, String set, String key, Delta delta) {
        Map<String, Object> bySet = claims.get(set);
        Object cur = bySet == null ? null : bySet.get(key);
        if (cur == null) {
            return;
        }
        String before = effectiveOf(cur);
        Object next = cur;
        if (cur instanceof Claim c) {
            next = c.owner().equals(owner) ? null : cur;
        } else {
            @SuppressWarnings("unchecked")
            TreeMap<ServiceKey, String> many = (TreeMap<ServiceKey, String>) cur;
            many.remove(owner);
            next = many.size() == 1 ? new Claim(many.firstKey(), many.firstEntry().getValue()) : many;
        }
        if (next == null) {
            bySet.remove(key);
        } else {
            bySet.put(key, next);
        }
        settle(set, key, before, effectiveOf(next), delta);
    }

    private void settle(String set, String key, String before, String after, Delta delta) {
        if (Objects.equals(before, after)) {
            return;
        }
        TreeMap<String, String> items = effective.computeIfAbsent(set, s -> new TreeMap<>());
        if (after == null) {
            items.remove(key);
            size--;
        } else if (items.put(key, after) == null) {
            size++;
        }
        if (delta != null) {
            delta.record(set, key, before, after);
        }
    }

    private static String effectiveOf(Object claim) {
        if (claim == null) {
            return null;
        }
        if (claim instanceof Claim c) {
            return c.value();
        }
        @SuppressWarnings("unchecked")
        TreeMap<ServiceKey, String> many = (TreeMap<ServiceKey, String>) claim;
        return many.lastEntry().getValue();
    }
}
