package dev.knet.dns.index;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The objects the zone is built from, grouped by namespace, as one consistent copy. */
record ClusterObjects(Set<String> namespaces,
                      Map<String, Collection<Service>> services,
                      Map<String, Collection<EndpointSlice>> slices,
                      Map<String, Collection<Pod>> pods) {

    Collection<Service> servicesIn(String namespace) {
        return services.getOrDefault(namespace, List.of());
    }

    Collection<EndpointSlice> slicesIn(String namespace) {
        return slices.getOrDefault(namespace, List.of());
    }

    Collection<Pod> podsIn(String namespace) {
        return pods.getOrDefault(namespace, List.of());
    }
}
