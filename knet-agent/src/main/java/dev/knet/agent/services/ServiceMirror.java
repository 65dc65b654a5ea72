package dev.knet.agent.services;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A sink that keeps the whole Service and endpoint state and hands a snapshot to its owner after every change,
 * once both initial lists are in (so nothing is torn down before the state is known). The health-check node
 * ports and the LoadBalancer announcer are small reconcilers over such snapshots; they see few events, so a
 * full recompute per event costs nothing worth a change tracker.
 */
final class ServiceMirror implements ServiceEventSink {

    /** Everything known at one moment: services and the merged endpoints of each. */
    record View(Map<ServiceKey, ServiceInfo> services, Map<ServiceKey, List<EndpointInfo>> endpoints) {
        View {
            services = Map.copyOf(services);
            endpoints = Map.copyOf(endpoints);
        }

        List<EndpointInfo> endpointsOf(ServiceKey key) {
            return endpoints.getOrDefault(key, List.of());
        }
    }

    private final Consumer<View> reconcile;
    private final Map<ServiceKey, ServiceInfo> services = new HashMap<>();
    private final Map<ServiceKey, List<EndpointInfo>> endpoints = new HashMap<>();
    private boolean servicesSynced;
    private boolean endpointsSynced;

    ServiceMirror(Consumer<View> reconcile) {
        this.reconcile = Objects.requireNonNull(reconcile, "reconcile");
    }

    @Override
    public synchronized void onServiceUpdate(ServiceInfo service) {
        services.put(service.key(), service);
        changed();
    }

    @Override
    public synchronized void onServiceDelete(ServiceKey key) {
        services.remove(key);
        changed();
    }

    @Override
    public synchronized void onEndpointsUpdate(ServiceKey key, List<EndpointInfo> list) {
        endpoints.put(key, List.copyOf(list));
        changed();
    }

    @Override
    public synchronized void onEndpointsDelete(ServiceKey key) {
        endpoints.remove(key);
        changed();
    }

    @Override
    public synchronized void markServicesSynced() {
        servicesSynced = true;
        changed();
    }

    @Override
    public synchronized void markEndpointsSynced() {
        endpointsSynced = true;
        changed();
    }

    private void changed() {
        if (servicesSynced && endpointsSynced) {
            reconcile.accept(new View(services, endpoints));
        }
    }
}
