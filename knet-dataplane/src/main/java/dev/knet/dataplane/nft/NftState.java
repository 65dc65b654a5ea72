package dev.knet.dataplane.nft;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An immutable snapshot of a ruleset as {@link FakeNftables} holds it: what a packet tracer walks.
 * Tables are keyed by their {@link NftObject.Table}; chains, sets and maps by name.
 */
public record NftState(Map<NftObject.Table, TableState> tables) {

    public NftState {
        tables = Map.copyOf(tables);
    }

    public Optional<TableState> table(NftObject.Table table) {
        return Optional.ofNullable(tables.get(table));
    }

    public record TableState(Map<String, ChainState> chains, Map<String, SetState> sets) {
        public TableState {
            chains = Map.copyOf(chains);
            sets = Map.copyOf(sets);
        }
    }

    public record ChainState(NftObject.Chain chain, List<String> rules) {
        public ChainState {
            rules = List.copyOf(rules);
        }
    }

    /** A set or map definition with its elements (key to value; the value is "" for a set). */
    public record SetState(NftObject definition, SortedMap<String, String> elements) {
        public SetState {
            elements = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(elements));
        }

        public boolean isMap() {
            return definition instanceof NftObject.NftMap;
        }
    }
}
