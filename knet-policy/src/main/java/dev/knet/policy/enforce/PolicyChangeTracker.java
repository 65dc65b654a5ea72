package dev.knet.policy.enforce;

import dev.knet.policy.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest namespaces, pods, NetworkPolicies and ClusterNetworkPolicies fed by events, and whether the
 * initial lists have been seen. Events only record state; the sync loop reads a consistent copy. Thread-safe.
 */
final class PolicyChangeTracker {

    /** A consistent copy taken at the start of one sync. */
    record Snapshot(List<HasMetadata> objects, long generation) {
    }

    private final Map<String, HasMetadata> objects = new LinkedHashMap<>();
    private boolean synced;
    private long generation;

    /** True when the object is of a kind policy enforcement reads (others are ignored). */
    static boolean relevant(HasMetadata object) {
        return object instanceof Namespace || object instanceof Pod || object instanceof NetworkPolicy
                || (object instanceof GenericKubernetesResource g && ClusterSnapshot.isClusterPolicy(g));
    }

    synchronized boolean update(HasMetadata object) {
        if (!relevant(object)) {
            return false;
        }
        objects.put(key(object), object);
        generation++;
        return true;
    }

    synchronized boolean delete(HasMetadata object) {
        if (!relevant(object)) {
            return false;
        }
        objects.remove(key(object));
        generation++;
        return true;
    }

    synchronized void markSynced() {
        synced = true;
    }

    /** True once the initial lists are known: writing before that would drop the isolation of live pods. */
    synchronized boolean isSynced() {
        return synced;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(new ArrayList<>(objects.values()), generation);
    }

    private static String key(HasMetadata object) {
        String kind = object instanceof GenericKubernetesResource ? "ClusterNetworkPolicy" : object.getClass().getSimpleName();
        String ns = object instanceof Namespace || object instanceof GenericKubernetesResource ? ""
                : object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
        return kind + "/" + ns + "/" + object.getMetadata().getName();
    }
}
