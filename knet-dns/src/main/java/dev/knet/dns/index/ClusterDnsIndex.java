package dev.knet.dns.index;

import dev.knet.dns.index.ZoneSettings.EndpointSource;
import dev.knet.model.LabelSelectors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cluster DNS records, fed from Services, EndpointSlices, Pods and Namespaces.
 *
 * <p>Writers (a watch, a manifest loader) call {@link #apply}, {@link #upsert}, {@link #remove} or
 * {@link #replaceAll}; readers call {@link #snapshot()}, which never locks and always returns one
 * consistent, immutable zone. A change is incremental: only the objects whose records depend on
 * the changed one are recomputed (a Service; the pods whose subdomain names it; the headless
 * Service an EndpointSlice or a selected pod feeds), and the new snapshot copies only the names
 * whose records changed, sharing the rest with the previous one. So a change costs about the
 * same in a cluster of ten Services as in one of ten thousand. Objects of other kinds are ignored.
 */
public final class ClusterDnsIndex {

    private static final String APEX_KEY = "0";

    private final ZoneSettings settings;
    private final ZoneRecords records;
    private final Object writeLock = new Object();
    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Map<String, Map<String, Service>> services = new HashMap<>();
    private final Map<String, Map<String, EndpointSlice>> slices = new HashMap<>();
    /** Slices by namespace and the Service their kubernetes.io/service-name label names, in slice-name order. */
    private final Map<String, Map<String, Map<String, EndpointSlice>>> slicesByService = new HashMap<>();
    private final Map<String, Map<String, Pod>> pods = new HashMap<>();
    private ZoneNodes nodes;
    private long serial = Instant.now().getEpochSecond();
    private volatile ZoneSnapshot snapshot;

    public ClusterDnsIndex(ZoneSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.records = new ZoneRecords(settings);
        synchronized (writeLock) {
            resetLocked();
            publishNowLocked();
        }
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
            if (!changeLocked(object, false)) {
                return false;
            }
            publishLocked();
            return true;
        }
    }

    public boolean remove(HasMetadata object) {
        synchronized (writeLock) {
            if (!changeLocked(object, true)) {
                return false;
            }
            publishLocked();
            return true;
        }
    }

    /** Replaces every object with the given list (a watch's initial list, or a manifest set); one publication. */
    public void replaceAll(Collection<? extends HasMetadata> objects) {
        synchronized (writeLock) {
            resetLocked();
            for (HasMetadata object : objects) {
                store(object, false);
            }
            namespaces.keySet().forEach(ns -> nodes.set(namespaceKey(ns), records.namespace(ns)));
            services.forEach((ns, byName) -> byName.keySet().forEach(name -> refreshService(ns, name)));
            pods.forEach((ns, byName) -> byName.keySet().forEach(name -> refreshPod(ns, name)));
            publishNowLocked();
        }
    }

    private void resetLocked() {
        namespaces.clear();
        services.clear();
        slices.clear();
        slicesByService.clear();
        pods.clear();
        nodes = new ZoneNodes(settings);
        nodes.set(APEX_KEY, records.apex());
    }

    /**
     * Swaps in the new zone. An update that changes no record (a pod's status, a resync) keeps
     * the current snapshot, so the SOA serial moves only when the zone does.
     */
    private void publishLocked() {
        if (nodes.hasChanges()) {
            publishNowLocked();
        }
    }

    private void publishNowLocked() {
        serial = Math.max(serial + 1, Instant.now().getEpochSecond()) & 0xffffffffL;
        snapshot = nodes.publish(serial);
    }

    /**
     * Records the object and recomputes what depends on it; false for kinds the zone does not use
     * and for deleting an object it never held.
     */
    private boolean changeLocked(HasMetadata object, boolean delete) {
        if (!(object instanceof Namespace || object instanceof Service || object instanceof EndpointSlice
                || object instanceof Pod)) {
            return false;
        }
        String ns = namespaceOf(object);
        String name = object.getMetadata().getName();
        HasMetadata previous = store(object, delete);
        if (delete && previous == null) {
            return false; // never seen: nothing to take out
        }
        switch (object) {
            case Namespace n -> nodes.set(namespaceKey(name), delete ? Contribution.NONE : records.namespace(name));
            case Service s -> {
                refreshService(ns, name);
                boolean wasHeadless = previous instanceof Service p && ZoneRecords.isHeadless(p);
                if (wasHeadless != (!delete && ZoneRecords.isHeadless(s))) {
                    refreshPodsWithSubdomain(ns, name);
                }
            }
            case EndpointSlice e -> {
                if (previous != null) {
                    refreshService(ns, serviceNameOf((EndpointSlice) previous));
                }
                refreshService(ns, serviceNameOf(e));
            }
            case Pod p -> {
                refreshPod(ns, name);
                refreshServicesSelecting(ns, (Pod) previous, delete ? null : p);
            }
            default -> throw new IllegalStateException("unreachable: " + object.getKind());
        }
        return true;
    }

    /** Puts or removes the object in the by-namespace maps; returns the object it replaced, or null. */
    private HasMetadata store(HasMetadata object, boolean delete) {
        String ns = namespaceOf(object);
        String name = object.getMetadata().getName();
        return switch (object) {
            case Namespace n -> delete ? namespaces.remove(name) : namespaces.put(name, n);
            case Service s -> putOrRemove(services, ns, name, delete ? null : s);
            case EndpointSlice e -> {
                EndpointSlice previous = putOrRemove(slices, ns, name, delete ? null : e);
                if (previous != null) {
                    putOrRemove(slicesByService.computeIfAbsent(ns, k -> new HashMap<>()), serviceNameOf(previous), name, null);
                }
                if (!delete) {
                    putOrRemove(slicesByService.computeIfAbsent(ns, k -> new HashMap<>()), serviceNameOf(e), name, e);
                }
                yield previous;
            }
            case Pod p -> putOrRemove(pods, ns, name, delete ? null : p);
            default -> null;
        };
    }

    private void refreshService(String ns, String name) {
        if (name == null) {
            return;
        }
        Service service = services.getOrDefault(ns, Map.of()).get(name);
        nodes.set(serviceKey(ns, name), service == null ? Contribution.NONE
                : records.service(ns, service, headlessEndpoints(ns, service)));
    }

    private List<DnsEndpoint> headlessEndpoints(String ns, Service service) {
        if (!ZoneRecords.isHeadless(service)) {
            return List.of();
        }
        List<EndpointSlice> own = slicesOf(ns, service.getMetadata().getName());
        return own.isEmpty() && settings.endpointSource() == EndpointSource.SLICES_OR_PODS
                ? HeadlessEndpoints.fromPods(service, pods.getOrDefault(ns, Map.of()).values())
                : HeadlessEndpoints.fromSlices(service, own);
    }

    private List<EndpointSlice> slicesOf(String ns, String serviceName) {
        return List.copyOf(slicesByService.getOrDefault(ns, Map.of()).getOrDefault(serviceName, Map.of()).values());
    }

    private void refreshPod(String ns, String name) {
        Pod pod = pods.getOrDefault(ns, Map.of()).get(name);
        nodes.set(podKey(ns, name), pod == null ? Contribution.NONE : records.pod(ns, pod, subdomainIsHeadless(ns, pod)));
    }

    private boolean subdomainIsHeadless(String ns, Pod pod) {
        String subdomain = pod.getSpec() == null ? null : pod.getSpec().getSubdomain();
        if (subdomain == null) {
            return false;
        }
        Map<String, Service> inNs = services.getOrDefault(ns, Map.of());
        Service service = inNs.get(subdomain);
        if (service == null) {
            service = inNs.get(ZoneRecords.lower(subdomain));
        }
        return service != null && ZoneRecords.isHeadless(service);
    }

    /** Pod hostname records exist only while a headless Service is named like the pod's subdomain. */
    private void refreshPodsWithSubdomain(String ns, String serviceName) {
        for (Pod pod : List.copyOf(pods.getOrDefault(ns, Map.of()).values())) {
            String subdomain = pod.getSpec() == null ? null : pod.getSpec().getSubdomain();
            if (subdomain != null && subdomain.equalsIgnoreCase(serviceName)) {
                refreshPod(ns, pod.getMetadata().getName());
            }
        }
    }

    /** Headless Services without slices take their endpoints from the pods they select (manifests alone). */
    private void refreshServicesSelecting(String ns, Pod before, Pod after) {
        if (settings.endpointSource() != EndpointSource.SLICES_OR_PODS) {
            return;
        }
        for (Service service : List.copyOf(services.getOrDefault(ns, Map.of()).values())) {
            Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
            if (!ZoneRecords.isHeadless(service) || selector == null || selector.isEmpty()) {
                continue;
            }
            if (selects(selector, before) || selects(selector, after)) {
                refreshService(ns, service.getMetadata().getName());
            }
        }
    }

    private static boolean selects(Map<String, String> selector, Pod pod) {
        return pod != null && LabelSelectors.matchesAll(selector, pod.getMetadata().getLabels());
    }

    private static String serviceNameOf(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        return labels == null ? null : labels.get(HeadlessEndpoints.SERVICE_NAME_LABEL);
    }

    private static String namespaceOf(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /** Keys order the records that objects of one namespace put at a shared name: Services, then pods. */
    private static String namespaceKey(String ns) {
        return "1/" + ns;
    }

    private static String serviceKey(String ns, String name) {
        return "2/" + ns + "/" + name;
    }

    private static String podKey(String ns, String name) {
        return "3/" + ns + "/" + name;
    }

    /** Puts (value non-null) or removes under namespace and name; returns the previous value. */
    private static <T> T putOrRemove(Map<String, Map<String, T>> byNamespace, String ns, String name, T value) {
        if (name == null) {
            return null;
        }
        if (value != null) {
            return byNamespace.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, value);
        }
        Map<String, T> inNs = byNamespace.get(ns);
        T previous = inNs == null ? null : inNs.remove(name);
        if (inNs != null && inNs.isEmpty()) {
            byNamespace.remove(ns);
        }
        return previous;
    }
}
