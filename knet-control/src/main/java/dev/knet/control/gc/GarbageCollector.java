package dev.knet.control.gc;

import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.ObjectCache;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deletes objects whose every owner (ownerReferences by uid) is gone: the pods of a deleted
 * Deployment, the EndpointSlices of a deleted Service. An owner missing from the caches is looked
 * up in the store before anything is deleted, because caches of different kinds lag independently;
 * an owner of a kind knet does not serve is assumed alive.
 */
public final class GarbageCollector extends Controller {

    private final ApiStore store;
    private final Map<String, ObjectCache<?>> cachesByKind = new HashMap<>();
    private final Set<String> liveUids = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();

    public GarbageCollector(ApiStore store, WriteTracker tracker, ClusterCaches caches) {
        super("garbage-collector", store, tracker);
        this.store = store;
        for (ObjectCache<?> cache : caches.all()) {
            watch(cache);
        }
    }

    private <T extends HasMetadata> void watch(ObjectCache<T> cache) {
        String kind = cache.kind().kind();
        cachesByKind.put(kind, cache);
        cache.addHandler((old, now) -> {
            HasMetadata o = now != null ? now : old;
            String uid = o.getMetadata().getUid();
            String depKey = kind + "|" + Keys.of(o);
            if (now == null) {
                liveUids.remove(uid);
                Set<String> deps = dependents.remove(uid);
                if (deps != null) {
                    enqueueAll(deps);
                }
            } else {
                liveUids.add(uid);
            }
            for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
                if (now == null) {
                    Set<String> deps = dependents.get(r.getUid());
                    if (deps != null) {
                        deps.remove(depKey);
                    }
                } else {
                    dependents.computeIfAbsent(r.getUid(), u -> ConcurrentHashMap.newKeySet()).add(depKey);
                }
            }
            if (now != null && !now.getMetadata().getOwnerReferences().isEmpty()) {
                enqueue(depKey);
            }
        });
    }

    @Override
    protected void reconcile(String depKey, Writes writes) {
        int bar = depKey.indexOf('|');
        ObjectCache<?> cache = cachesByKind.get(depKey.substring(0, bar));
        String key = depKey.substring(bar + 1);
        HasMetadata o = cache.get(key);
        if (o == null || o.getMetadata().getOwnerReferences().isEmpty() || o.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        for (OwnerReference r : owners) {
            if (liveUids.contains(r.getUid()) || existsInStore(r, o.getMetadata().getNamespace())) {
                return;
            }
        }
        writes.add(new Mutation.Delete(cache.kind(), o.getMetadata().getNamespace(), o.getMetadata().getName(),
                Mutation.Grace.GRACEFUL));
    }

    private boolean existsInStore(OwnerReference r, String namespace) {
        Optional<ResourceKind<?>> kind = ResourceKinds.of(r.getApiVersion(), r.getKind());
        if (kind.isEmpty()) {
            return true;
        }
        Optional<? extends HasMetadata> owner = store.get(kind.get(), kind.get().namespaced() ? namespace : null, r.getName());
        return owner.isPresent() && r.getUid() != null && r.getUid().equals(owner.get().getMetadata().getUid());
    }
}
