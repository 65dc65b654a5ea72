package dev.knet.cli.print;

import dev.knet.cli.cluster.ClusterClient;
import dev.knet.model.KnetJson;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** kubectl describe, condensed: identity, the networking facts of pods and Services, then spec and status. */
public final class Describer {

    private final ClusterClient cluster;

    public Describer(ClusterClient cluster) {
        this.cluster = cluster;
    }

    public String describe(HasMetadata o) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Name", o.getMetadata().getName());
        if (o.getMetadata().getNamespace() != null) {
            line(sb, "Namespace", o.getMetadata().getNamespace());
        }
        line(sb, "Labels", NetworkColumns.labels(o.getMetadata().getLabels()));
        line(sb, "Annotations", NetworkColumns.labels(o.getMetadata().getAnnotations()));
        line(sb, "Created", o.getMetadata().getCreationTimestamp());
        switch (o) {
            case Pod pod -> pod(sb, pod);
            case Service svc -> service(sb, svc);
            default -> rest(sb, o);
        }
        return sb.toString();
    }

    private void pod(StringBuilder sb, Pod pod) {
        line(sb, "Node", pod.getSpec().getNodeName());
        line(sb, "Status", pod.getMetadata().getDeletionTimestamp() != null ? "Terminating"
                : pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase());
        line(sb, "IP", pod.getStatus() == null ? null : pod.getStatus().getPodIP());
        line(sb, "Containers", pod.getSpec().getContainers().stream()
                .map(c -> c.getName() + " (" + c.getImage() + ")").collect(Collectors.joining(", ")));
        if (pod.getStatus() != null) {
            line(sb, "Conditions", pod.getStatus().getConditions().stream()
                    .map(c -> c.getType() + "=" + c.getStatus()).collect(Collectors.joining(", ")));
            if (pod.getStatus().getMessage() != null) {
                line(sb, "Message", pod.getStatus().getMessage());
            }
        }
    }

    private void service(StringBuilder sb, Service svc) {
        var spec = svc.getSpec();
        line(sb, "Selector", NetworkColumns.labels(spec.getSelector()));
        line(sb, "Type", spec.getType());
        line(sb, "IP", spec.getClusterIP());
        if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null
                && !svc.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            line(sb, "LoadBalancer Ingress", svc.getStatus().getLoadBalancer().getIngress().stream()
                    .map(i -> i.getIp()).collect(Collectors.joining(", ")));
        }
        for (var p : spec.getPorts()) {
            line(sb, "Port", (p.getName() == null ? "<unset>" : p.getName()) + "  " + p.getPort() + "/"
                    + p.getProtocol());
            line(sb, "TargetPort", p.getTargetPort() == null ? null : String.valueOf(
                    p.getTargetPort().getIntVal() != null ? p.getTargetPort().getIntVal() : p.getTargetPort().getStrVal()));
            if (p.getNodePort() != null) {
                line(sb, "NodePort", p.getNodePort() + "/" + p.getProtocol());
            }
        }
        List<String> endpoints = new ArrayList<>();
        for (EndpointSlice slice : cluster.list(ResourceKinds.ENDPOINT_SLICE, svc.getMetadata().getNamespace(),
                "kubernetes.io/service-name=" + svc.getMetadata().getName())) {
            for (var ep : slice.getEndpoints()) {
                boolean ready = ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
                for (String a : ep.getAddresses()) {
                    endpoints.add(ready ? a : a + " (not ready)");
                }
            }
        }
        line(sb, "Endpoints", endpoints.isEmpty() ? "<none>" : String.join(", ", endpoints));
        line(sb, "Session Affinity", spec.getSessionAffinity());
        if (spec.getExternalTrafficPolicy() != null) {
            line(sb, "External Traffic Policy", spec.getExternalTrafficPolicy());
        }
    }

    @SuppressWarnings("unchecked")
    private void rest(StringBuilder sb, HasMetadata o) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(KnetJson.serialization().convertValue(o, Map.class));
        m.remove("metadata");
        m.remove("apiVersion");
        m.remove("kind");
        if (!m.isEmpty()) {
            sb.append(KnetJson.toYaml(m).replaceFirst("^---\\n", ""));
        }
    }

    private static void line(StringBuilder sb, String key, String value) {
        String label = key + ":";
        sb.append(label).append(" ".repeat(Math.max(1, 24 - label.length())))
                .append(value == null || value.isEmpty() ? "<none>" : value).append('\n');
    }
}
