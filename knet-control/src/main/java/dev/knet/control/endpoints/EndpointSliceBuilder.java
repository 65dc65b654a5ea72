package dev.knet.control.endpoints;

import dev.knet.control.runtime.PodState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a Service's EndpointSlices should hold, as groups of endpoints that share one port list. A
 * named targetPort is resolved per pod; a pod lacking it simply has that port missing from its list,
 * so pods that resolve differently land in different groups (and so different slices), as in
 * Kubernetes. Pure: no store, no caches.
 */
public final class EndpointSliceBuilder {

    /** Endpoints sharing one port list; key identifies the port list. */
    public record Group(String key, List<EndpointPort> ports, List<Endpoint> endpoints) {
    }

    private EndpointSliceBuilder() {
    }

    /**
     * @param zoneOfNode the topology zone of a node, or null
     */
    public static Map<String, Group> desired(Service svc, List<Pod> pods, Function<String, String> zoneOfNode) {
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        Map<String, Group> groups = new LinkedHashMap<>();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod pod : sorted) {
            String ip = ipv4(pod);
            if (ip == null || PodState.isTerminal(pod)) {
                continue;
            }
            List<EndpointPort> ports = ports(svc, pod);
            String key = portsKey(ports);
            groups.computeIfAbsent(key, k -> new Group(k, ports, new ArrayList<>()))
                    .endpoints().add(endpoint(svc, pod, ip, publishNotReady, zoneOfNode));
        }
        return groups;
    }

    static Endpoint endpoint(Service svc, Pod pod, String ip, boolean publishNotReady, Function<String, String> zoneOfNode) {
        boolean terminating = PodState.isTerminating(pod);
        boolean ready = PodState.isReady(pod);
        Endpoint e = new Endpoint();
        e.setAddresses(new ArrayList<>(List.of(ip)));
        // As Kubernetes: serving is the pod's readiness alone (what the proxy's fallback to terminating endpoints
        // trusts); ready is never true for a terminating pod unless the Service publishes not-ready addresses.
        e.setConditions(new EndpointConditions(publishNotReady || (ready && !terminating), ready, terminating));
        String node = PodState.nodeName(pod);
        e.setNodeName(node);
        e.setZone(node == null ? null : zoneOfNode.apply(node));
        if (pod.getSpec() != null && pod.getSpec().getHostname() != null
                && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
            e.setHostname(pod.getSpec().getHostname());
        }
        ObjectReference ref = new ObjectReference();
        ref.setKind("Pod");
        ref.setNamespace(pod.getMetadata().getNamespace());
        ref.setName(pod.getMetadata().getName());
        ref.setUid(pod.getMetadata().getUid());
        e.setTargetRef(ref);
        return e;
    }

    /** The service ports this pod serves, each with its resolved target port. */
    static List<EndpointPort> ports(Service svc, Pod pod) {
        List<EndpointPort> out = new ArrayList<>();
        for (ServicePort sp : svc.getSpec().getPorts() == null ? List.<ServicePort>of() : svc.getSpec().getPorts()) {
            String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
            Integer port = resolve(sp, protocol, pod);
            if (port == null) {
                continue;
            }
            EndpointPort ep = new EndpointPort();
            ep.setName(sp.getName() == null ? "" : sp.getName());
            ep.setPort(port);
            ep.setProtocol(protocol);
            ep.setAppProtocol(sp.getAppProtocol());
            out.add(ep);
        }
        return out;
    }

    private static Integer resolve(ServicePort sp, String protocol, Pod pod) {
        IntOrString target = sp.getTargetPort();
        if (target == null || (target.getIntVal() == null && (target.getStrVal() == null || target.getStrVal().isEmpty()))) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String name = target.getStrVal();
        if (name.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(name);
        }
        if (pod.getSpec() == null) {
            return null;
        }
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort cp : c.getPorts()) {
                String p = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
                if (name.equals(cp.getName()) && protocol.equals(p)) {
                    return cp.getContainerPort();
                }
            }
        }
        return null;
    }

    static String portsKey(List<EndpointPort> ports) {
        StringBuilder sb = new StringBuilder();
        for (EndpointPort p : ports) {
            sb.append(p.getName()).append(':').append(p.getPort()).append('/').append(p.getProtocol())
                    .append('/').append(Objects.toString(p.getAppProtocol(), "")).append(';');
        }
        return sb.toString();
    }

    static String ipv4(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                if (ip.getIp() != null && ip.getIp().indexOf(':') < 0) {
                    return ip.getIp();
                }
            }
        }
        String ip = pod.getStatus().getPodIP();
        return ip != null && !ip.isEmpty() && ip.indexOf(':') < 0 ? ip : null;
    }
}
