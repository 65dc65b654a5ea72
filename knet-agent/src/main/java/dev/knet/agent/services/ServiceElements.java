package dev.knet.agent.services;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one Service (or the node itself) contributes to the services table: map and set elements (set name to
 * key to value; "" for a set) and the structure they need (bucket chains, affinity rules). The unit of the
 * proxy's cache: a partial sync regenerates only the services touched since the last sync and diffs their
 * contributions, so its cost does not grow with the number of services.
 */
record ServiceElements(SortedMap<String, SortedMap<String, String>> elements, SortedSet<Need> needs) {

    static final ServiceElements NONE = new ServiceElements(new TreeMap<>(), new TreeSet<>());

    ServiceElements {
        SortedMap<String, SortedMap<String, String>> copy = new TreeMap<>();
        elements.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        elements = Collections.unmodifiableSortedMap(copy);
        needs = Collections.unmodifiableSortedSet(new TreeSet<>(needs));
    }

    /** A piece of table structure that elements point at; kept while any contribution needs it. */
    sealed interface Need extends Comparable<Need> {

        /** A svc-K, np-K or np-masq-K chain. */
        record BucketChain(String name) implements Need {
        }

        /** An affinity-T set with its timeout in seconds, and the protocol whose affinity rule it needs. */
        record Affinity(long timeoutSeconds, Protocol protocol) implements Need {
        }

        /** The rule that marks affinity hits on Cluster-policy NodePorts for masquerade. */
        record StickyNodePorts() implements Need {
        }

        @Override
        default int compareTo(Need o) {
            return sortKey().compareTo(o.sortKey());
        }

        private String sortKey() {
            return switch (this) {
                case BucketChain c -> "chain " + c.name();
                case Affinity a -> "affinity " + String.format("%012d", a.timeoutSeconds()) + " " + a.protocol();
                case StickyNodePorts s -> "sticky-nodeports";
            };
        }
    }

    long size() {
        return elements.values().stream().mapToLong(java.util.Map::size).sum();
    }

    List<String> sets() {
        return List.copyOf(elements.keySet());
    }
}
