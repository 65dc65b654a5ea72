package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftTransaction;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * Builds the transaction that rewrites the services table in place (see {@link ServiceRuleset#fullTransaction()}).
 * Order matters to the kernel: objects are added first, then every chain and set is flushed (dropping rule and
 * element references to stale chains and sets), then stale objects are deleted, then rules and elements go in.
 */
final class FullTransaction {

    private FullTransaction() {
    }

    static NftTransaction build(ServiceRuleset ruleset, List<NftObject> kernel, boolean flushAffinity) {
        return build(ruleset.structure(), ruleset.elements(), kernel, flushAffinity);
    }

    /** The same from the parts: the proxy passes its table's own maps, not a copy of 70,000 elements. */
    static NftTransaction build(List<NftObject> structure, SortedMap<String, ? extends SortedMap<String, String>> elements,
                                List<NftObject> kernel, boolean flushAffinity) {
        List<NftObject> stale = kernel == null ? List.of() : kernel.stream()
                .filter(o -> o instanceof NftObject.Chain || o instanceof NftObject.NftSet || o instanceof NftObject.NftMap)
                .filter(o -> !structure.contains(o))
                .toList();
        Set<String> staleNames = stale.stream().map(FullTransaction::name).collect(Collectors.toSet());
        NftTransaction tx = new NftTransaction().add(ServiceLayout.TABLE);
        structure.stream().filter(o -> !(o instanceof NftObject.Rule) && !staleNames.contains(name(o))).forEach(tx::add);
        for (NftObject o : structure) {
            if (o instanceof NftObject.Chain c && !staleNames.contains(c.name())) {
                tx.flush(c);
            }
        }
        stale.stream().filter(o -> o instanceof NftObject.Chain).forEach(o -> tx.flush((NftObject.Flushable) o));
        for (NftObject o : structure) {
            if (o instanceof NftObject.NftSet s) {
                tx.flush(s);
            } else if (o instanceof NftObject.NftMap m && (flushAffinity || !m.name().equals(ServiceLayout.AFFINITY))) {
                tx.flush(m);
            }
        }
        // A stale object named like a wanted one has another definition: deleted here, added again below.
        stale.forEach(o -> tx.delete((NftObject.Deletable) o));
        structure.stream().filter(o -> staleNames.contains(name(o))).forEach(tx::add);
        structure.stream().filter(o -> o instanceof NftObject.Rule).forEach(tx::add);
        elements.forEach((set, items) -> items.forEach((k, v) -> tx.add(ServiceRuleset.element(set, k, v))));
        return tx;
    }

    private static String name(NftObject o) {
        return switch (o) {
            case NftObject.Chain c -> c.name();
            case NftObject.NftSet s -> s.name();
            case NftObject.NftMap m -> m.name();
            default -> "";
        };
    }
}
