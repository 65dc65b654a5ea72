package dev.knet.agent.services;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cuts fabric8 Services and EndpointSlices down to the proxy's value model, at the edge. */
public final class ServiceTranslator {

    /** The label that ties an EndpointSlice to its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Duration DEFAULT_AFFINITY = Duration.ofSeconds(10800);

    private final String nodeName;

    public ServiceTranslator(String nodeName) {
        this.nodeName = nodeName;
    }

    public static ServiceKey key(Service s) {
        return new ServiceKey(s.getMetadata().getNamespace(), s.getMetadata().getName());
    }

    /** The Service a slice belongs to, or empty for a slice without the service-name label. */
    public static Optional<ServiceKey> owner(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return name == null ? Optional.empty() : Optional.of(new ServiceKey(slice.getMetadata().getNamespace(), name));
    }

    public ServiceInfo service(Service s) {
        ServiceSpec spec = s.getSpec();
        List<ServiceInfo.Port> ports = spec.getPorts() == null ? List.of() : spec.getPorts().stream()
                .map(p -> new ServiceInfo.Port(p.getName(), Protocol.parse(p.getProtocol()), p.getPort(),
                        p.getNodePort() == null ? 0 : p.getNodePort()))
                .toList();
        ServiceInfo.SessionAffinity affinity = new ServiceInfo.SessionAffinity.None();
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            Integer seconds = spec.getSessionAffinityConfig() == null || spec.getSessionAffinityConfig().getClientIP() == null
                    ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            affinity = new ServiceInfo.SessionAffinity.ClientIp(seconds == null ? DEFAULT_AFFINITY : Duration.ofSeconds(seconds));
        }
        List<String> lbIps = s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : s.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp)
                .filter(ip -> ip != null && !ip.isBlank()).toList();
        return new ServiceInfo(key(s), spec.getClusterIP(), ports, type(spec.getType()),
                policy(spec.getExternalTrafficPolicy()), policy(spec.getInternalTrafficPolicy()), affinity, lbIps,
                spec.getHealthCheckNodePort() == null ? 0 : spec.getHealthCheckNodePort(),
                spec.getExternalIPs() == null ? List.of() : spec.getExternalIPs().stream().filter(ip -> ip != null && !ip.isBlank()).toList());
    }

    /**
     * Merges all slices of one Service into endpoints keyed by address: a slice carries one set of ports, so an
     * address listed in two slices gets the ports of both. Unknown conditions read as the API says: ready and
     * serving default to true, terminating to false.
     */
    public List<EndpointInfo> endpoints(Collection<EndpointSlice> slices) {
        Map<String, Map<String, Integer>> ports = new LinkedHashMap<>();
        Map<String, Endpoint> first = new HashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getAddressType() != null && !"IPv4".equals(slice.getAddressType())) {
                continue; // the services table is IPv4 only for now
            }
            Map<String, Integer> slicePorts = new HashMap<>();
            for (EndpointPort p : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
                if (p.getPort() != null) {
                    slicePorts.put(p.getName() == null ? "" : p.getName(), p.getPort());
                }
            }
            for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                for (String ip : e.getAddresses()) {
                    ports.computeIfAbsent(ip, k -> new HashMap<>()).putAll(slicePorts);
                    first.putIfAbsent(ip, e);
                }
            }
        }
        List<EndpointInfo> out = new ArrayList<>();
        ports.forEach((ip, p) -> {
            Endpoint e = first.get(ip);
            EndpointConditions c = e.getConditions();
            boolean ready = c == null || c.getReady() == null || c.getReady();
            boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
            boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
            String node = e.getNodeName() == null ? "" : e.getNodeName();
            out.add(new EndpointInfo(ip, p, new EndpointInfo.Conditions(ready, serving, terminating), node, node.equals(nodeName)));
        });
        return out;
    }

    private static ServiceInfo.Type type(String t) {
        return switch (t == null ? "ClusterIP" : t) {
            case "NodePort" -> ServiceInfo.Type.NODE_PORT;
            case "LoadBalancer" -> ServiceInfo.Type.LOAD_BALANCER;
            default -> ServiceInfo.Type.CLUSTER_IP; // ExternalName has no cluster IP and is skipped as headless
        };
    }

    private static ServiceInfo.TrafficPolicy policy(String p) {
        return "Local".equals(p) ? ServiceInfo.TrafficPolicy.LOCAL : ServiceInfo.TrafficPolicy.CLUSTER;
    }
}
