package dev.knet.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.knet.model.ResourceKind.Scope.CLUSTER;
import static dev.knet.model.ResourceKind.Scope.NAMESPACED;

/** The kinds knet's API serves, and lookups by apiVersion/kind, plural and CLI alias. */
public final class ResourceKinds {

    public static final ResourceKind<Namespace> NAMESPACE =
            new ResourceKind<>("", "v1", "Namespace", "namespaces", CLUSTER, Namespace.class);
    public static final ResourceKind<Node> NODE =
            new ResourceKind<>("", "v1", "Node", "nodes", CLUSTER, Node.class);
    public static final ResourceKind<Pod> POD =
            new ResourceKind<>("", "v1", "Pod", "pods", NAMESPACED, Pod.class);
    public static final ResourceKind<Service> SERVICE =
            new ResourceKind<>("", "v1", "Service", "services", NAMESPACED, Service.class);
    public static final ResourceKind<Secret> SECRET =
            new ResourceKind<>("", "v1", "Secret", "secrets", NAMESPACED, Secret.class);
    public static final ResourceKind<io.fabric8.kubernetes.api.model.ServiceAccount> SERVICE_ACCOUNT =
            new ResourceKind<>("", "v1", "ServiceAccount", "serviceaccounts", NAMESPACED,
                    io.fabric8.kubernetes.api.model.ServiceAccount.class);
    public static final ResourceKind<ConfigMap> CONFIG_MAP =
            new ResourceKind<>("", "v1", "ConfigMap", "configmaps", NAMESPACED, ConfigMap.class);
    public static final ResourceKind<Deployment> DEPLOYMENT =
            new ResourceKind<>("apps", "v1", "Deployment", "deployments", NAMESPACED, Deployment.class);
    public static final ResourceKind<EndpointSlice> ENDPOINT_SLICE =
            new ResourceKind<>("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", NAMESPACED,
                    EndpointSlice.class);
    public static final ResourceKind<NetworkPolicy> NETWORK_POLICY =
            new ResourceKind<>("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", NAMESPACED,
                    NetworkPolicy.class);
    public static final ResourceKind<Ingress> INGRESS =
            new ResourceKind<>("networking.k8s.io", "v1", "Ingress", "ingresses", NAMESPACED, Ingress.class);
    public static final ResourceKind<IngressClass> INGRESS_CLASS =
            new ResourceKind<>("networking.k8s.io", "v1", "IngressClass", "ingressclasses", CLUSTER,
                    IngressClass.class);
    public static final ResourceKind<GenericKubernetesResource> CLUSTER_NETWORK_POLICY =
            new ResourceKind<>("policy.networking.k8s.io", "v1alpha2", "ClusterNetworkPolicy",
                    "clusternetworkpolicies", CLUSTER, GenericKubernetesResource.class);
    public static final ResourceKind<io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway> GATEWAY =
            new ResourceKind<>("gateway.networking.k8s.io", "v1", "Gateway", "gateways", NAMESPACED,
                    io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway.class);
    public static final ResourceKind<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute> HTTP_ROUTE =
            new ResourceKind<>("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", NAMESPACED,
                    io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class);
    public static final ResourceKind<io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass> GATEWAY_CLASS =
            new ResourceKind<>("gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses", CLUSTER,
                    io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass.class);
    /** Served at v1beta1, where the Gateway API's standard channel still has it. */
    public static final ResourceKind<io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant> REFERENCE_GRANT =
            new ResourceKind<>("gateway.networking.k8s.io", "v1beta1", "ReferenceGrant", "referencegrants", NAMESPACED,
                    io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class);

    /** Every kind, in the order `apply` creates them (namespaces first, workloads after config). */
    public static final List<ResourceKind<? extends HasMetadata>> ALL = List.of(
            NAMESPACE, NODE, SERVICE_ACCOUNT, CONFIG_MAP, SECRET, SERVICE, ENDPOINT_SLICE, DEPLOYMENT, POD, NETWORK_POLICY,
            CLUSTER_NETWORK_POLICY, INGRESS_CLASS, INGRESS, GATEWAY_CLASS, GATEWAY, HTTP_ROUTE, REFERENCE_GRANT);

    private static final Map<String, ResourceKind<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (ResourceKind<?> k : ALL) {
            BY_NAME.put(k.kind().toLowerCase(Locale.ROOT), k);
            BY_NAME.put(k.plural(), k);
        }
        alias("ns", NAMESPACE);
        alias("no", NODE);
        alias("po", POD);
        alias("svc", SERVICE);
        alias("cm", CONFIG_MAP);
        alias("sa", SERVICE_ACCOUNT);
        alias("deploy", DEPLOYMENT);
        alias("eps", ENDPOINT_SLICE);
        alias("endpoints", ENDPOINT_SLICE);
        alias("netpol", NETWORK_POLICY);
        alias("ing", INGRESS);
        alias("cnp", CLUSTER_NETWORK_POLICY);
    }

    private ResourceKinds() {
    }

    private static void alias(String name, ResourceKind<?> kind) {
        BY_NAME.put(name, kind);
    }

    /** A kind by CLI name: kind, plural or short alias, case-insensitive ("svc", "Pods", "deployment"). */
    public static Optional<ResourceKind<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The kind of an object from its apiVersion and kind fields. */
    public static Optional<ResourceKind<?>> of(String apiVersion, String kind) {
        for (ResourceKind<?> k : ALL) {
            if (k.kind().equals(kind) && k.apiVersion().equals(apiVersion)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Optional<ResourceKind<?>> of(HasMetadata object) {
        return of(object.getApiVersion(), object.getKind());
    }

    /** The kind served under a REST path segment: group ("" for core), version, plural. */
    public static Optional<ResourceKind<?>> byPath(String group, String version, String plural) {
        for (ResourceKind<?> k : ALL) {
            if (k.group().equals(group) && k.version().equals(version) && k.plural().equals(plural)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
