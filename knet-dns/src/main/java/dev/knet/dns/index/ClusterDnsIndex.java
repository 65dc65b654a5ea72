package dev.knet.dns.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cluster DNS records, fed from Services, EndpointSlices, Pods and Namespaces.
 *
 * <p>Writers (a watch, a manifest loader) call {@link #apply}, {@link #upsert}, {@link #remove} or
 * {@link #replaceAll}; each change rebuilds an immutable {@link ZoneSnapshot} and publishes it
 * through a volatile field, so readers ({@link #snapshot()}) never lock and always see one
 * consistent zone. A rebuild costs time linear in the cluster's size; {@link #replaceAll} loads a
 * full list with a single rebuild. Objects of other kinds are ignored.
 */
public final class ClusterDnsIndex {

    private final ZoneSettings settings;
    private final Object writeLock = new Object();
    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Map<String, Map<String, Service>> services = new HashMap<>();
    private final Map<String, Map<String, EndpointSlice>> slices = new HashMap<>();
    private final Map<String, Map<String, Pod>> pods = new HashMap<>();
    private long serial = Instant.now().getEpochSecond();
    private volatile ZoneSnapshot snapshot;

    public ClusterDnsIndex(ZoneSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.snapshot = rebuildLocked();
    }

    public ZoneSettings settings() {
        return settings;
    }

    /** The current zone; lock-free, and never changes under the caller. */
    public ZoneSnapshot snapshot() {
        return snapshot;
    }

    /** Applies one watch event; returns whether the object was of a kind the zone uses. */
    public boolean apply(ChangeType type, HasMetadata object) {
        return switch (type) {
            case ADDED, MODIFIED -> upsert(object);
            case DELETED -> remove(object);
        };
    }

    public boolean upsert(HasMetadata object) {
        synchronized (writeLock) {
            if (!put(object)) {
                return false;
            }
            snapshot = rebuildLocked();
            return true;
        }
    }

    public boolean remove(HasMetadata object) {
        synchronized (writeLock) {
            String ns = namespaceOf(object);
            String name = object.getMetadata().getName();
            boolean known = switch (object) {
                case Namespace n -> namespaces.remove(name) != null;
                case Service s -> removeFrom(services, ns, name);
                case EndpointSlice e -> removeFrom(slices, ns, name);
                case Pod p -> removeFrom(pods, ns, name);
                default -> false;
            };
            if (known) {
                snapshot = rebuildLocked();
            }
            return known;
        }
    }

    /** Replaces every object with the given list (a watch's initial list, or a manifest set). */
    public void replaceAll(Collection<? extends HasMetadata> objects) {
        synchronized (writeLock) {
            namespaces.clear();
            services.clear();
            slices.clear();
            pods.clear();
            for (HasMetadata object : objects) {
                put(object);
            }
            snapshot = rebuildLocked();
        }
    }

    private boolean put(HasMetadata object) {
        String ns = namespaceOf(object);
        String name = object.getMetadata().getName();
        switch (object) {
            case Namespace n -> namespaces.put(name, n);
            case Service s -> services.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, s);
            case EndpointSlice e -> slices.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, e);
            case Pod p -> pods.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, p);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String namespaceOf(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    private static <T> boolean removeFrom(Map<String, Map<String, T>> byNamespace, String ns, String name) {
        Map<String, T> inNs = byNamespace.get(ns);
        if (inNs == null || inNs.remove(name) == null) {
            return false;
        }
        if (inNs.isEmpty()) {
            byNamespace.remove(ns);
        }
        return true;
    }

    private ZoneSnapshot rebuildLocked() {
        serial = Math.max(serial + 1, Instant.now().getEpochSecond()) & 0xffffffffL;
        ClusterObjects objects = new ClusterObjects(new HashSet<>(namespaces.keySet()),
                copy(services), copy(slices), copy(pods));
        return ZoneAssembler.assemble(settings, objects, serial);
    }

    private static <T> Map<String, Collection<T>> copy(Map<String, Map<String, T>> byNamespace) {
        Map<String, Collection<T>> out = new HashMap<>();
        byNamespace.forEach((ns, objects) -> out.put(ns, List.copyOf(new ArrayList<>(objects.values()))));
        return out;
    }
}
