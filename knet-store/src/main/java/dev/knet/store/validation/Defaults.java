package dev.knet.store.validation;

import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.ClientIPConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Kubernetes' defaulting (SetDefaults_*) for the kinds knet serves. Changes the object in place.
 * Allocates nothing: clusterIPs and nodePorts are the allocators' business. Ingress pathType gets
 * no default on purpose: networking.k8s.io/v1 requires it.
 */
public final class Defaults {

    /** Three hours, Kubernetes' default ClientIP affinity. */
    public static final int DEFAULT_AFFINITY_SECONDS = 10800;
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private Defaults() {
    }

    public static void apply(HasMetadata object) {
        switch (object) {
            case Service s -> service(s);
            case Pod p -> PodDefaults.apply(p.getSpec());
            case Deployment d -> deployment(d);
            case NetworkPolicy np -> networkPolicy(np);
            case EndpointSlice es -> endpointSlice(es);
            case Secret s -> {
                if (s.getType() == null || s.getType().isEmpty()) {
                    s.setType("Opaque");
                }
            }
            case Namespace n -> namespace(n);
            default -> {
            }
        }
    }

    static void service(Service service) {
        ServiceSpec spec = service.getSpec();
        if (spec == null) {
            return;
        }
        if (spec.getType() == null || spec.getType().isEmpty()) {
            spec.setType("ClusterIP");
        }
        String type = spec.getType();
        for (ServicePort port : spec.getPorts() == null ? List.<ServicePort>of() : spec.getPorts()) {
            if (port.getProtocol() == null || port.getProtocol().isEmpty()) {
                port.setProtocol("TCP");
            }
            if (Ports.isUnset(port.getTargetPort()) && port.getPort() != null) {
                port.setTargetPort(new IntOrString(port.getPort()));
            }
        }
        if (spec.getSessionAffinity() == null || spec.getSessionAffinity().isEmpty()) {
            spec.setSessionAffinity("None");
        }
        SessionAffinityConfig affinity = spec.getSessionAffinityConfig();
        if ("ClientIP".equals(spec.getSessionAffinity()) && (affinity == null || affinity.getClientIP() == null
                || affinity.getClientIP().getTimeoutSeconds() == null)) {
            spec.setSessionAffinityConfig(new SessionAffinityConfig(new ClientIPConfig(DEFAULT_AFFINITY_SECONDS)));
        }
        if (ServiceValidator.externallyAccessible(spec, type)
                && (spec.getExternalTrafficPolicy() == null || spec.getExternalTrafficPolicy().isEmpty())) {
            spec.setExternalTrafficPolicy("Cluster");
        }
        if ("ExternalName".equals(type)) {
            return;
        }
        if (spec.getInternalTrafficPolicy() == null) {
            spec.setInternalTrafficPolicy("Cluster");
        }
        String clusterIP = spec.getClusterIP();
        boolean assigned = clusterIP != null && !clusterIP.isEmpty();
        if (assigned && (spec.getClusterIPs() == null || spec.getClusterIPs().isEmpty())) {
            spec.setClusterIPs(new ArrayList<>(List.of(clusterIP)));
        }
        if (spec.getIpFamilyPolicy() == null) {
            spec.setIpFamilyPolicy("SingleStack");
        }
        if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
            boolean v6 = assigned && Names.isIp(clusterIP) && !IpAddresses.isIpv4(clusterIP);
            spec.setIpFamilies(new ArrayList<>(List.of(v6 ? "IPv6" : "IPv4")));
        }
    }

    static void deployment(Deployment d) {
        var spec = d.getSpec();
        if (spec == null) {
            return;
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        // The selector is required in apps/v1 and deliberately not derived from the template labels.
        if (spec.getStrategy() == null) {
            spec.setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategy());
        }
        var strategy = spec.getStrategy();
        if (strategy.getType() == null || strategy.getType().isEmpty()) {
            strategy.setType("RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.getType())) {
            if (strategy.getRollingUpdate() == null) {
                strategy.setRollingUpdate(new io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment());
            }
            var ru = strategy.getRollingUpdate();
            if (ru.getMaxUnavailable() == null) {
                ru.setMaxUnavailable(new IntOrString("25%"));
            }
            if (ru.getMaxSurge() == null) {
                ru.setMaxSurge(new IntOrString("25%"));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        if (spec.getProgressDeadlineSeconds() == null) {
            spec.setProgressDeadlineSeconds(600);
        }
        if (spec.getTemplate() != null) {
            PodDefaults.apply(spec.getTemplate().getSpec());
        }
    }

    static void networkPolicy(NetworkPolicy policy) {
        NetworkPolicySpec spec = policy.getSpec();
        if (spec == null) {
            return;
        }
        // A policy that names no types isolates ingress, and egress too when it has egress rules.
        if (spec.getPolicyTypes() == null || spec.getPolicyTypes().isEmpty()) {
            List<String> types = new ArrayList<>(List.of("Ingress"));
            if (spec.getEgress() != null && !spec.getEgress().isEmpty()) {
                types.add("Egress");
            }
            spec.setPolicyTypes(types);
        }
        for (NetworkPolicyIngressRule rule : spec.getIngress() == null ? List.<NetworkPolicyIngressRule>of() : spec.getIngress()) {
            tcp(rule.getPorts());
        }
        for (NetworkPolicyEgressRule rule : spec.getEgress() == null ? List.<NetworkPolicyEgressRule>of() : spec.getEgress()) {
            tcp(rule.getPorts());
        }
    }

    private static void tcp(List<NetworkPolicyPort> ports) {
        for (NetworkPolicyPort port : ports == null ? List.<NetworkPolicyPort>of() : ports) {
            if (port.getProtocol() == null) {
                port.setProtocol("TCP");
            }
        }
    }

    static void endpointSlice(EndpointSlice slice) {
        for (EndpointPort port : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
            if (port.getProtocol() == null) {
                port.setProtocol("TCP");
            }
            if (port.getName() == null) {
                port.setName("");
            }
        }
    }

    /** Every namespace carries its own name as a label, so policies can select it by name. */
    static void namespace(Namespace ns) {
        if (ns.getMetadata() == null || ns.getMetadata().getName() == null) {
            return;
        }
        var labels = ns.getMetadata().getLabels() == null
                ? new LinkedHashMap<String, String>() : new LinkedHashMap<>(ns.getMetadata().getLabels());
        labels.put(NAMESPACE_NAME_LABEL, ns.getMetadata().getName());
        ns.getMetadata().setLabels(labels);
    }
}
