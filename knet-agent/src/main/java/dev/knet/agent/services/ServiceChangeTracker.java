package dev.knet.agent.services;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the latest services and endpoints fed by events, and whether the initial list of each has been seen.
 * Events only record state here; the sync loop reads a consistent snapshot. Thread-safe.
 */
final class ServiceChangeTracker {

    /** A consistent copy of what the tracker knows, taken at the start of one sync. */
    record Snapshot(Map<ServiceKey, ServiceInfo> services, Map<ServiceKey, List<EndpointInfo>> endpoints, long generation) {
    }

    private final Map<ServiceKey, ServiceInfo> services = new HashMap<>();
    private final Map<ServiceKey, List<EndpointInfo>> endpoints = new HashMap<>();
    private boolean servicesSynced;
    private boolean endpointsSynced;
    private long generation;

    synchronized void updateService(ServiceInfo service) {
        services.put(service.key(), service);
        generation++;
    }

    synchronized void deleteService(ServiceKey key) {
        services.remove(key);
        generation++;
    }

    synchronized void updateEndpoints(ServiceKey key, List<EndpointInfo> eps) {
        endpoints.put(key, List.copyOf(eps));
        generation++;
    }

    synchronized void deleteEndpoints(ServiceKey key) {
        endpoints.remove(key);
        generation++;
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

    synchronized Snapshot snapshot() {
        return new Snapshot(Map.copyOf(services), Map.copyOf(endpoints), generation);
    }
}
