package dev.knet.policy.verify;

import dev.knet.policy.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * The running cluster as {@code knet verify} reads it: lists of the kinds the policy model and the probes
 * need. The CLI feeds it from its cluster client; tests from manifests through {@link #of}.
 */
public interface ClusterState {

    List<Namespace> namespaces();

    /** Pods with {@code status.podIP}; lab pods carry their network namespace in {@value VerifyPlan#NETNS_ANNOTATION}. */
    List<Pod> pods();

    List<NetworkPolicy> networkPolicies();

    List<Service> services();

    /** Service endpoints: needed to check a Service destination after DNAT. */
    default List<EndpointSlice> endpointSlices() {
        return List.of();
    }

    /** policy.networking.k8s.io ClusterNetworkPolicies (Admin and Baseline tiers). */
    default List<GenericKubernetesResource> clusterNetworkPolicies() {
        return List.of();
    }

    /** Everything above, in one list, as the policy model takes it. */
    default List<HasMetadata> objects() {
        List<HasMetadata> all = new ArrayList<>(namespaces());
        all.addAll(pods());
        all.addAll(networkPolicies());
        all.addAll(services());
        all.addAll(endpointSlices());
        all.addAll(clusterNetworkPolicies());
        return all;
    }

    /** A fixed state from a list of objects of any kinds; other kinds are ignored. */
    static ClusterState of(List<? extends HasMetadata> objects) {
        List<Namespace> namespaces = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<NetworkPolicy> policies = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        List<GenericKubernetesResource> clusterPolicies = new ArrayList<>();
        for (HasMetadata object : objects) {
            switch (object) {
                case Namespace n -> namespaces.add(n);
                case Pod p -> pods.add(p);
                case NetworkPolicy np -> policies.add(np);
                case Service s -> services.add(s);
                case EndpointSlice es -> slices.add(es);
                case GenericKubernetesResource g when ClusterSnapshot.isClusterPolicy(g) -> clusterPolicies.add(g);
                default -> {
                    // Deployments, ConfigMaps, ...: not part of what may connect
                }
            }
        }
        return new Fixed(List.copyOf(namespaces), List.copyOf(pods), List.copyOf(policies), List.copyOf(services),
                List.copyOf(slices), List.copyOf(clusterPolicies));
    }

    /** The state {@link #of} returns. */
    record Fixed(List<Namespace> namespaces, List<Pod> pods, List<NetworkPolicy> networkPolicies,
                 List<Service> services, List<EndpointSlice> endpointSlices,
                 List<GenericKubernetesResource> clusterNetworkPolicies) implements ClusterState {
    }
}
