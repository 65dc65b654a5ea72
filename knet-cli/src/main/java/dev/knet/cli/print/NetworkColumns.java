package dev.knet.cli.print;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Columns for endpoint slices, network policies and ingresses, and the cells Services share with them. */
final class NetworkColumns {

    private NetworkColumns() {
    }

    static String port(ServicePort p) {
        String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
        return p.getPort() + (p.getNodePort() == null ? "" : ":" + p.getNodePort()) + "/" + proto;
    }

    static String externalIp(Service s, String type) {
        if ("ExternalName".equals(type)) {
            return s.getSpec().getExternalName();
        }
        List<String> ips = new ArrayList<>(s.getSpec().getExternalIPs());
        if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null) {
            for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
                ips.add(i.getIp() != null ? i.getIp() : i.getHostname());
            }
        }
        if (ips.isEmpty()) {
            return "LoadBalancer".equals(type) ? "<pending>" : "<none>";
        }
        return String.join(",", ips);
    }

    static String labels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "<none>";
        }
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static final Columns<EndpointSlice> ENDPOINT_SLICES = new Columns<>() {
        @Override
        public List<String> headers(boolean wide) {
            return List.of("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE");
        }

        @Override
        public List<String> cells(EndpointSlice e, boolean wide, Instant now) {
            String ports = e.getPorts().isEmpty() ? "<unset>"
                    : e.getPorts().stream().map(p -> String.valueOf(p.getPort())).collect(Collectors.joining(","));
            List<String> addrs = new ArrayList<>();
            for (Endpoint ep : e.getEndpoints()) {
                boolean ready = ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
                for (String a : ep.getAddresses()) {
                    addrs.add(wide && !ready ? a + "(not ready)" : a);
                }
            }
            String endpoints = addrs.isEmpty() ? "<unset>"
                    : (!wide && addrs.size() > 3 ? String.join(",", addrs.subList(0, 3)) + " + " + (addrs.size() - 3)
                    + " more..." : String.join(",", addrs));
            return List.of(e.getMetadata().getName(), e.getAddressType(), ports, endpoints,
                    Ages.since(e.getMetadata().getCreationTimestamp(), now));
        }
    };

    static final Columns<NetworkPolicy> NETWORK_POLICIES = new Columns<>() {
        @Override
        public List<String> headers(boolean wide) {
            return List.of("NAME", "POD-SELECTOR", "AGE");
        }

        @Override
        public List<String> cells(NetworkPolicy p, boolean wide, Instant now) {
            var sel = p.getSpec() == null ? null : p.getSpec().getPodSelector();
            String s = sel == null || sel.getMatchLabels() == null || sel.getMatchLabels().isEmpty()
                    ? "<none>" : labels(sel.getMatchLabels());
            return List.of(p.getMetadata().getName(), s, Ages.since(p.getMetadata().getCreationTimestamp(), now));
        }
    };

    static final Columns<Ingress> INGRESSES = new Columns<>() {
        @Override
        public List<String> headers(boolean wide) {
            return List.of("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE");
        }

        @Override
        public List<String> cells(Ingress i, boolean wide, Instant now) {
            String hosts = i.getSpec().getRules().stream().map(IngressRule::getHost)
                    .map(h -> h == null ? "*" : h).collect(Collectors.joining(","));
            String address = i.getStatus() == null || i.getStatus().getLoadBalancer() == null ? ""
                    : i.getStatus().getLoadBalancer().getIngress().stream().map(x -> x.getIp())
                    .collect(Collectors.joining(","));
            String ports = i.getSpec().getTls().isEmpty() ? "80" : "80, 443";
            return List.of(i.getMetadata().getName(), i.getSpec().getIngressClassName() == null ? "<none>"
                    : i.getSpec().getIngressClassName(), hosts.isEmpty() ? "*" : hosts, address, ports,
                    Ages.since(i.getMetadata().getCreationTimestamp(), now));
        }
    };

    /** "9080/TCP" for an EndpointSlice port, used by describe. */
    static String port(EndpointPort p) {
        return (p.getName() == null || p.getName().isEmpty() ? "" : p.getName() + " ") + p.getPort() + "/"
                + (p.getProtocol() == null ? "TCP" : p.getProtocol());
    }
}
