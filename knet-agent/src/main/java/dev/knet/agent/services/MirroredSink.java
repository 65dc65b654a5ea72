package dev.knet.agent.services;

import java.util.List;

/**
 * A sink that forwards every event to a {@link ServiceMirror} and reconciles from its snapshots: the shape
 * of the node's small Service reconcilers (health-check ports, LoadBalancer announcement).
 */
abstract class MirroredSink implements ServiceEventSink {

    private final ServiceMirror mirror = new ServiceMirror(this::reconcile);

    /** Called with the whole state after every change, once both initial lists are in. */
    abstract void reconcile(ServiceMirror.View view);

    @Override
    public void onServiceUpdate(ServiceInfo service) {
        mirror.onServiceUpdate(service);
    }

    @Override
    public void onServiceDelete(ServiceKey key) {
        mirror.onServiceDelete(key);
    }

    @Override
    public void onEndpointsUpdate(ServiceKey key, List<EndpointInfo> endpoints) {
        mirror.onEndpointsUpdate(key, endpoints);
    }

    @Override
    public void onEndpointsDelete(ServiceKey key) {
        mirror.onEndpointsDelete(key);
    }

    @Override
    public void markServicesSynced() {
        mirror.markServicesSynced();
    }

    @Override
    public void markEndpointsSynced() {
        mirror.markEndpointsSynced();
    }
}
