package dev.knet.agent.services;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the latest services and endpoints fed by events, which services changed since the last sync, and
 * whether the initial list of each has been seen. Events only record state here; the sync loop reads either
 * a whole snapshot (full sync) or just the touched services (partial sync, no copy of the rest). Thread-safe.
 */
final class ServiceChangeTracker {

    /** A consistent copy of what the tracker knows, taken at the start of one full sync. */
    record Snapshot(Map<ServiceKey, ServiceInfo> services, Map<ServiceKey, List<EndpointInfo>> endpoints, long generation) {
    }

    /** One touched service as it is now: service null when deleted, endpoints empty when none. */
    record Current(ServiceInfo service, List<EndpointInfo> endpoints) {
    }

    /** The services touched since the last take, as they are now. */
    record Changes(Map<ServiceKey, Current> touched, long generation) {
    }

    private final Map<ServiceKey, ServiceInfo> services = new HashMap<>();
    private final Map<ServiceKey, List<EndpointInfo>> endpoints = new HashMap<>();
    private Set<ServiceKey> dirty = new HashSet<>();
    private boolean servicesSynced;
    private boolean endpointsSynced;
    private long generation;

    synchronized void updateService(ServiceInfo service) {
        services.put(service.key(), service);
        touch(service.key());
    }

    synchronized void deleteService(ServiceKey key) {
        services.remove(key);
        touch(key);
    }

    synchronized void updateEndpoints(ServiceKey key, List<EndpointInfo> eps) {
        endpoints.put(key, List.copyOf(eps));
        touch(key);
    }

    synchronized void deleteEndpoints(ServiceKey key) {
        endpoints.remove(key);
        touch(key);
    }

    synchronized void markServicesSynced() {
        servicesSynced = true;
    }

    synchronized void markEndpointsSynced() {
        endpointsSynced = true;
    }

    /** True once both initial lists are known: writing before that would drop live services' rules. */
    synchronized boolean isSynced() {
        return servicesSynced && endpointsSynced;
    }

    synchronized long generation() {
        return generation;
    }

    /** Everything, for a full sync; also forgets the touched set, which the full sync covers. */
    synchronized Snapshot snapshot() {
        dirty = new HashSet<>();
        return new Snapshot(Map.copyOf(services), Map.copyOf(endpoints), generation);
    }

    /** Only what changed since the last take; cost grows with the touched services, not with all of them. */
    synchronized Changes takeChanges() {
        Map<ServiceKey, Current> out = new HashMap<>();
        for (ServiceKey key : dirty) {
            out.put(key, new Current(services.get(key), endpoints.getOrDefault(key, List.of())));
        }
        dirty = new HashSet<>();
        return new Changes(out, generation);
    }

    private void touch(ServiceKey key) {
        dirty.add(key);
        generation++;
    }
}
