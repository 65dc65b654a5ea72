package dev.knet.agent.services;

import dev.knet.agent.services.ServiceElements.Need;
import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftTransaction;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The proxy's memory between syncs: each service's generated elements, their sum ({@link ElementTable}) and
 * the table structure the kernel holds. A partial sync regenerates only the touched services and writes only
 * the resulting element changes, plus any bucket chain they newly need. Structure no longer needed (a bucket
 * chain, the affinity rule of a timeout nobody uses) stays, unreferenced or matching nothing, until the next
 * full sync; structure that must grow in a base chain (a new affinity timeout) needs a full sync.
 * A full sync regenerates only services whose inputs changed since their cached contribution, which lets the
 * first one find the initial lists already generated ({@link #prepare}) and leaves it rendering and applying.
 * Plans are applied by the caller, which reports back with {@link #committed()} or {@link #failed()}.
 */
final class ServiceRulesetCache {

    /** How a full sync treats the existing table. */
    enum FullMode {
        /** Rewrite in place, keeping the affinity map (the normal full sync). */
        KEEP_TABLE,
        /** Delete and recreate the table (after repeated failures); remembered affinity is lost. */
        RECREATE
    }

    /** One transaction to apply and whether it rewrites the whole table. */
    record Plan(NftTransaction transaction, boolean full) {
    }

    /** The inputs a cached contribution was generated from, compared by identity (the tracker's own objects). */
    private record Inputs(ServiceInfo service, List<EndpointInfo> endpoints) {
        boolean same(ServiceInfo svc, List<EndpointInfo> eps) {
            return service == svc && endpoints == eps;
        }
    }

    private final ServiceRulesetGenerator generator;
    private final Map<ServiceKey, ServiceElements> cache = new HashMap<>();
    private final Map<ServiceKey, Inputs> inputs = new HashMap<>();
    private ElementTable table;
    /** The structure the kernel holds as far as this proxy knows; null when unknown. */
    private List<NftObject> kernel;
    private List<NftObject> pending;
    /** The needs the kernel's structure was built from (leftover bucket chains included). */
    private SortedSet<Need> kernelNeeds = new TreeSet<>();
    private SortedSet<Need> pendingNeeds = new TreeSet<>();
    private boolean affinityFlushOwed;
    private long regenerated;

    ServiceRulesetCache(ServiceRulesetGenerator generator) {
        this.generator = generator;
        resetTable();
    }

    /** True when the kernel's table structure is known, so partial syncs are possible. */
    boolean knowsKernel() {
        return kernel != null;
    }

    /**
     * Generates the contributions of services touched while the initial lists are still arriving, so that the
     * first full sync finds most of its work done (the sync thread is otherwise idle until both lists are known).
     * Nothing is planned or written; the kernel stays unknown.
     */
    void prepare(ServiceChangeTracker.Changes changes) {
        for (var e : changes.touched().entrySet()) {
            ServiceChangeTracker.Current cur = e.getValue();
            if (cur.service() == null) {
                forget(e.getKey());
            } else {
                regenerate(e.getKey(), cur.service(), cur.endpoints(), null);
            }
        }
    }

    /**
     * Plans a transaction that rewrites the whole table. Services whose inputs are the very objects their cached
     * contribution was generated from are not generated again ({@link #prepare} did it, or an earlier sync):
     * the table is the same fold of contributions whichever order they came in.
     */
    Plan full(ServiceChangeTracker.Snapshot snap, FullMode mode) {
        boolean known = kernel != null;
        boolean flushAffinity = affinityFlushOwed;
        for (var e : snap.services().entrySet()) {
            List<EndpointInfo> eps = snap.endpoints().getOrDefault(e.getKey(), List.of());
            Inputs was = inputs.get(e.getKey());
            if (was != null && was.same(e.getValue(), eps)) {
                continue;
            }
            ServiceElements had = cache.getOrDefault(e.getKey(), ServiceElements.NONE);
            ServiceElements now = regenerate(e.getKey(), e.getValue(), eps, null);
            flushAffinity |= known && was != null && stickyBackendGone(had, now);
        }
        for (ServiceKey gone : inputs.keySet().stream().filter(k -> !snap.services().containsKey(k)).toList()) {
            flushAffinity |= known && isSticky(cache.getOrDefault(gone, ServiceElements.NONE));
            forget(gone);
        }
        return fullPlan(mode, flushAffinity);
    }

    /** Rewrites the whole table from the cache, regenerating nothing (the kernel lost what it had). */
    Plan fullFromCache() {
        kernel = null;
        return fullPlan(FullMode.KEEP_TABLE, affinityFlushOwed);
    }

    /**
     * Regenerates only the touched services and plans their element changes; empty when the structure
     * changes in a way only a full sync can write.
     */
    Optional<Plan> partial(ServiceChangeTracker.Changes changes) {
        if (kernel == null) {
            return Optional.empty();
        }
        ElementTable.Delta delta = new ElementTable.Delta();
        for (var e : changes.touched().entrySet()) {
            ServiceElements old = cache.getOrDefault(e.getKey(), ServiceElements.NONE);
            ServiceChangeTracker.Current cur = e.getValue();
            ServiceElements now = ServiceElements.NONE;
            if (cur.service() == null) {
                affinityFlushOwed |= stickyBackendGone(old, now);
                forget(e.getKey(), delta);
                continue;
            }
            now = regenerate(e.getKey(), cur.service(), cur.endpoints(), delta);
            affinityFlushOwed |= stickyBackendGone(old, now);
        }
        NftTransaction tx = new NftTransaction();
        SortedSet<Need> target = kernelNeeds;
        SortedSet<Need> needs = table.needs();
        if (!kernelNeeds.containsAll(needs)) {
            SortedSet<Need> grown = new TreeSet<>(kernelNeeds);
            grown.addAll(needs);
            if (grown.stream().anyMatch(n -> !(n instanceof Need.BucketChain) && !kernelNeeds.contains(n))) {
                return Optional.empty(); // affinity timeouts or sticky NodePorts changed: rules in base chains change
            }
            // Only new bucket chains: add them (their rules only reference maps that exist) before any element.
            target = grown;
            ServiceLayout.structure(generator.node(), grown).stream().filter(o -> !kernel.contains(o)).forEach(tx::add);
        }
        // By set (stable: deletions still all precede additions, and each key changes once) so that the changes of
        // several services to one set go to nft as one grouped element statement rather than one per service.
        List<ElementTable.Change> changed = delta.changes().stream()
                .sorted(Comparator.comparing(ElementTable.Change::set)).toList();
        changed.stream().filter(c -> c.before() != null)
                .forEach(c -> tx.delete(ServiceRuleset.element(c.set(), c.key(), c.before())));
        changed.stream().filter(c -> c.after() != null)
                .forEach(c -> tx.add(ServiceRuleset.element(c.set(), c.key(), c.after())));
        if (affinityFlushOwed) {
            tx.flush(affinityMap(kernel));
        }
        pendingNeeds = target;
        pending = target == kernelNeeds ? kernel : ServiceLayout.structure(generator.node(), target);
        return Optional.of(new Plan(tx, false));
    }

    /** The last plan reached the kernel. */
    void committed() {
        kernel = pending;
        kernelNeeds = pendingNeeds;
        affinityFlushOwed = false;
    }

    /** The last plan failed: what the kernel holds is unknown, and the next sync regenerates everything. */
    void failed() {
        kernel = null;
        cache.clear();
        inputs.clear();
        resetTable();
    }

    private void resetTable() {
        table = new ElementTable();
        table.replace(ElementTable.NODE, ServiceElements.NONE, generator.forNode(), null);
    }

    /** Generates one service (keeping its buckets) and folds the difference into the table. */
    private ServiceElements regenerate(ServiceKey key, ServiceInfo svc, List<EndpointInfo> eps, ElementTable.Delta delta) {
        ServiceElements old = cache.getOrDefault(key, ServiceElements.NONE);
        ServiceElements now = generator.forService(svc, eps, old);
        regenerated++;
        inputs.put(key, new Inputs(svc, eps));
        if (!now.equals(old)) {
            table.replace(key, old, now, delta);
            cache.put(key, now);
        }
        return now;
    }

    private void forget(ServiceKey key) {
        forget(key, null);
    }

    private void forget(ServiceKey key, ElementTable.Delta delta) {
        ServiceElements old = cache.remove(key);
        inputs.remove(key);
        if (old != null) {
            table.replace(key, old, ServiceElements.NONE, delta);
        }
    }

    /** Services generated so far: a partial sync adds only the services it touched. */
    long regenerated() {
        return regenerated;
    }

    long elementCount() {
        return table.size();
    }

    long ruleCount() {
        return kernel == null ? 0 : kernel.stream().filter(o -> o instanceof NftObject.Rule).count();
    }

    /** The whole table as the cache holds it (copies every element; for tests and full syncs). */
    ServiceRuleset ruleset() {
        return table.ruleset(generator.node());
    }

    private Plan fullPlan(FullMode mode, boolean flushAffinity) {
        SortedSet<Need> needs = table.needs();
        List<NftObject> structure = ServiceLayout.structure(generator.node(), needs);
        NftTransaction tx = switch (mode) {
            case KEEP_TABLE -> FullTransaction.build(structure, table.elements(), kernel, flushAffinity);
            case RECREATE -> table.ruleset(generator.node()).recreateTransaction();
        };
        pending = structure;
        pendingNeeds = needs;
        return new Plan(tx, true);
    }

    private static NftObject.NftMap affinityMap(List<NftObject> structure) {
        return structure.stream().filter(o -> o instanceof NftObject.NftMap m && m.name().equals(ServiceLayout.AFFINITY))
                .map(o -> (NftObject.NftMap) o).findFirst().orElseThrow();
    }

    private static boolean isSticky(ServiceElements e) {
        return e.needs().stream().anyMatch(n -> n instanceof Need.Affinity);
    }

    /**
     * True when clients may be pinned to an endpoint that no longer serves the service: a sticky service lost
     * or changed a backend, stopped being sticky, or went away. Remembered choices are then flushed.
     */
    static boolean stickyBackendGone(ServiceElements old, ServiceElements now) {
        if (!isSticky(old)) {
            return false;
        }
        if (!isSticky(now)) {
            return true;
        }
        for (String set : List.of(ServiceLayout.BACKENDS, ServiceLayout.NODEPORT_BACKENDS)) {
            SortedMap<String, String> was = old.elements().getOrDefault(set, java.util.Collections.emptySortedMap());
            SortedMap<String, String> is = now.elements().getOrDefault(set, java.util.Collections.emptySortedMap());
            for (var e : was.entrySet()) {
                if (!e.getValue().equals(is.get(e.getKey()))) {
                    return true;
                }
            }
        }
        return false;
    }
}
