package dev.knet.control.runtime;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.List;

/** The caches the controllers share: one list and one watch per kind, whatever the number of controllers. */
public final class ClusterCaches implements AutoCloseable {

    private final ObjectCache<Node> nodes;
    private final ObjectCache<Pod> pods;
    private final ObjectCache<Service> services;
    private final ObjectCache<Deployment> deployments;
    private final ObjectCache<EndpointSlice> slices;

    public ClusterCaches(ApiStore store) {
        nodes = new ObjectCache<>(store, ResourceKinds.NODE);
        pods = new ObjectCache<>(store, ResourceKinds.POD);
        services = new ObjectCache<>(store, ResourceKinds.SERVICE);
        deployments = new ObjectCache<>(store, ResourceKinds.DEPLOYMENT);
        slices = new ObjectCache<>(store, ResourceKinds.ENDPOINT_SLICE);
    }

    public ObjectCache<Node> nodes() {
        return nodes;
    }

    public ObjectCache<Pod> pods() {
        return pods;
    }

    public ObjectCache<Service> services() {
        return services;
    }

    public ObjectCache<Deployment> deployments() {
        return deployments;
    }

    public ObjectCache<EndpointSlice> slices() {
        return slices;
    }

    public List<ObjectCache<?>> all() {
        return List.of(nodes, services, deployments, pods, slices);
    }

    /** Lists every kind and starts the watches; handlers must be registered before. */
    public void start() {
        all().forEach(ObjectCache::start);
    }

    @Override
    public void close() {
        all().forEach(ObjectCache::close);
    }
}
