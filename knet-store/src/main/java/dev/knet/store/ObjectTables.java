package dev.knet.store;

import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The committed objects: per kind, a sorted map from "namespace/name" to the stored object. */
final class ObjectTables {

    private final Map<ResourceKind<?>, ConcurrentSkipListMap<String, HasMetadata>> tables = new ConcurrentHashMap<>();

    ObjectTables() {
        for (ResourceKind<?> k : ResourceKinds.ALL) {
            tables.put(k, new ConcurrentSkipListMap<>());
        }
    }

    static String key(ResourceKind<?> kind, String namespace, String name) {
        return kind.namespaced() ? (namespace == null ? "default" : namespace) + "/" + name : name;
    }

    static String key(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName();
    }

    HasMetadata get(ResourceKind<?> kind, String key) {
        return table(kind).get(key);
    }

    Collection<HasMetadata> values(ResourceKind<?> kind) {
        return Collections.unmodifiableCollection(table(kind).values());
    }

    /** A kind's table; a kind the store does not serve is the caller's mistake, not a crash. */
    private ConcurrentSkipListMap<String, HasMetadata> table(ResourceKind<?> kind) {
        ConcurrentSkipListMap<String, HasMetadata> t = tables.get(kind);
        if (t == null) {
            throw new ApiException.BadRequest("the server does not serve kind " + kind.apiVersion() + "/" + kind.kind());
        }
        return t;
    }

    /** Objects of a namespace (all of them when namespace is null), in key order. */
    Collection<HasMetadata> values(ResourceKind<?> kind, String namespace) {
        ConcurrentSkipListMap<String, HasMetadata> t = table(kind);
        if (namespace == null || !kind.namespaced()) {
            return t.values();
        }
        return t.subMap(namespace + "/", namespace + "/\uffff").values();
    }

    void put(ResourceKind<?> kind, String key, HasMetadata object) {
        if (object == null) {
            table(kind).remove(key);
        } else {
            table(kind).put(key, object);
        }
    }

    /** Every stored object (for snapshots). */
    Collection<HasMetadata> everything() {
        return tables.values().stream().flatMap(t -> t.values().stream()).toList();
    }
}
