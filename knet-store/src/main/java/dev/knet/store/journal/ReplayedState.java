package dev.knet.store.journal;

import dev.knet.store.Journal;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The objects rebuilt during recovery: a snapshot's, then each later log entry applied in order. */
final class ReplayedState {

    private final Map<String, HasMetadata> objects = new HashMap<>();
    private long version;
    private int applied;

    void load(Collection<HasMetadata> snapshot, long snapshotVersion) {
        for (HasMetadata o : snapshot) {
            objects.put(key(o), o);
        }
        version = snapshotVersion;
    }

    /** Applies an entry unless a snapshot already covers it; returns whether it was applied. */
    boolean apply(Journal.Entry entry) {
        if (entry.resourceVersion() <= version) {
            return false;
        }
        for (Journal.Removal r : entry.removed()) {
            objects.remove(key(r.apiVersion(), r.kind(), r.namespace(), r.name()));
        }
        for (HasMetadata o : entry.written()) {
            objects.put(key(o), o);
        }
        version = entry.resourceVersion();
        applied++;
        return true;
    }

    long version() {
        return version;
    }

    int applied() {
        return applied;
    }

    Journal.Recovered recovered() {
        return new Journal.Recovered(objects.values(), version);
    }

    private static String key(HasMetadata o) {
        return key(o.getApiVersion(), o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    private static String key(String apiVersion, String kind, String namespace, String name) {
        return apiVersion + "|" + kind + "|" + (namespace == null ? "" : namespace) + "|" + name;
    }
}
