package dev.knet.policy;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects policy evaluation reads, cut down at the edge: namespaces (with the automatic
 * kubernetes.io/metadata.name label), pods, Services, EndpointSlices, NetworkPolicies and
 * ClusterNetworkPolicies. Other kinds are ignored.
 */
public record ClusterSnapshot(Map<String, Map<String, String>> namespaceLabels, List<PodView> pods,
                              List<Service> services, List<EndpointSlice> endpointSlices,
                              List<NetworkPolicy> networkPolicies, List<GenericKubernetesResource> clusterPolicies) {

    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    public static final String CLUSTER_POLICY_GROUP = "policy.networking.k8s.io/";
    public static final String CLUSTER_POLICY_KIND = "ClusterNetworkPolicy";

    public ClusterSnapshot {
        namespaceLabels = Map.copyOf(namespaceLabels);
        pods = List.copyOf(pods);
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        networkPolicies = List.copyOf(networkPolicies);
        clusterPolicies = List.copyOf(clusterPolicies);
    }

    public static ClusterSnapshot of(List<? extends HasMetadata> objects) {
        Map<String, Map<String, String>> namespaces = new TreeMap<>();
        List<PodView> pods = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        List<NetworkPolicy> policies = new ArrayList<>();
        List<GenericKubernetesResource> clusterPolicies = new ArrayList<>();
        for (HasMetadata object : objects) {
            switch (object) {
                case Namespace ns -> namespaces.put(ns.getMetadata().getName(), namespaceLabels(ns));
                case Pod pod -> pods.add(podView(pod));
                case Service service -> services.add(service);
                case EndpointSlice slice -> slices.add(slice);
                case NetworkPolicy policy -> policies.add(policy);
                case GenericKubernetesResource generic when isClusterPolicy(generic) -> clusterPolicies.add(generic);
                default -> { }
            }
        }
        for (PodView pod : pods) {
            namespaces.computeIfAbsent(pod.namespace(), n -> Map.of(NAMESPACE_NAME_LABEL, n));
        }
        pods.sort(Comparator.comparing(PodView::namespace).thenComparing(PodView::name));
        return new ClusterSnapshot(namespaces, pods, services, slices, policies, clusterPolicies);
    }

    public static boolean isClusterPolicy(HasMetadata object) {
        return CLUSTER_POLICY_KIND.equals(object.getKind()) && object.getApiVersion() != null
                && object.getApiVersion().startsWith(CLUSTER_POLICY_GROUP);
    }

    static Map<String, String> namespaceLabels(Namespace ns) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (ns.getMetadata().getLabels() != null) {
            labels.putAll(ns.getMetadata().getLabels());
        }
        // the API server sets this label on every namespace; selectors of real policies rely on it
        labels.put(NAMESPACE_NAME_LABEL, ns.getMetadata().getName());
        return labels;
    }

    static PodView podView(Pod pod) {
        List<ContainerPortView> ports = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (var container : pod.getSpec().getContainers()) {
                if (container.getPorts() == null) {
                    continue;
                }
                for (ContainerPort p : container.getPorts()) {
                    if (p.getContainerPort() != null) {
                        ports.add(new ContainerPortView(p.getName(), p.getContainerPort(), Protocol.parse(p.getProtocol())));
                    }
                }
            }
        }
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        return new PodView(namespace, pod.getMetadata().getName(),
                pod.getMetadata().getLabels() == null ? Map.of() : new HashMap<>(pod.getMetadata().getLabels()),
                ip == null || ip.isBlank() ? null : ip, ports);
    }
}
