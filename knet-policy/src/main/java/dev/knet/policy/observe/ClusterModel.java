package dev.knet.policy.observe;

import dev.knet.model.net.IpAddresses;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Protocol;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One snapshot of the cluster as the stream needs it: the policy model, which Service owns a ClusterIP (to name
 * the Service a DNAT'd flow went through) and each Node's addresses (to recognise a node's own traffic, which
 * policy does not filter).
 *
 * @param services "ip port PROTO" and "ip" to the Service's "ns/name"
 * @param nodes    node name to its addresses
 * @param podNodes pod address to the node the pod runs on (where its policy is enforced)
 */
record ClusterModel(PolicyEngine engine, Map<String, String> services, Map<String, Set<String>> nodes,
                    Map<String, String> podNodes) {

    ClusterModel {
        services = Map.copyOf(services);
        nodes = Map.copyOf(nodes);
        podNodes = Map.copyOf(podNodes);
    }

    static ClusterModel of(List<HasMetadata> objects) {
        Map<String, String> services = new HashMap<>();
        Map<String, Set<String>> nodes = new HashMap<>();
        Map<String, String> podNodes = new HashMap<>();
        for (HasMetadata o : objects) {
            switch (o) {
                case Pod p when p.getStatus() != null && p.getStatus().getPodIP() != null && p.getSpec() != null
                        && p.getSpec().getNodeName() != null && !Boolean.TRUE.equals(p.getSpec().getHostNetwork()) ->
                        podNodes.put(canonical(p.getStatus().getPodIP()), p.getSpec().getNodeName());
                case Service s when s.getSpec() != null -> addService(services, s);
                case Node n when n.getStatus() != null && n.getStatus().getAddresses() != null -> {
                    Set<String> addresses = new HashSet<>();
                    for (NodeAddress a : n.getStatus().getAddresses()) {
                        if (a.getAddress() != null && IpAddresses.isValid(a.getAddress())) {
                            addresses.add(canonical(a.getAddress()));
                        }
                    }
                    nodes.put(n.getMetadata().getName(), addresses);
                }
                default -> { }
            }
        }
        return new ClusterModel(PolicyEngine.of(objects), services, nodes, podNodes);
    }

    private static void addService(Map<String, String> services, Service s) {
        String name = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
        List<String> ips = new ArrayList<>();
        if (s.getSpec().getClusterIPs() != null) {
            ips.addAll(s.getSpec().getClusterIPs());
        }
        if (s.getSpec().getClusterIP() != null) {
            ips.add(s.getSpec().getClusterIP());
        }
        for (String ip : ips) {
            if (!IpAddresses.isValid(ip)) {
                continue; // "None": headless, no DNAT
            }
            String key = canonical(ip);
            services.putIfAbsent(key, name);
            for (ServicePort p : s.getSpec().getPorts() == null ? List.<ServicePort>of() : s.getSpec().getPorts()) {
                if (p.getPort() != null) {
                    try {
                        services.put(key + " " + p.getPort() + " " + Protocol.parse(p.getProtocol()), name);
                    } catch (IllegalArgumentException e) {
                        // a protocol the model does not know: the ClusterIP alone still names the Service
                    }
                }
            }
        }
    }

    /** The Service with this ClusterIP, preferring one that has the port. */
    Optional<String> service(String ip, int port, Protocol protocol) {
        String key = canonical(ip);
        String exact = services.get(key + " " + port + " " + protocol);
        return Optional.ofNullable(exact != null ? exact : services.get(key));
    }

    /**
     * The addresses of the node whose namespace this is: knet names a node's namespace "knet-<cluster>-<node>",
     * so the node is the one whose name ends it. Empty when no node matches.
     */
    Set<String> localAddresses(String netns) {
        Set<String> out = new HashSet<>();
        nodes.forEach((name, addresses) -> {
            if (netns.equals(name) || netns.endsWith("-" + name)) {
                out.addAll(addresses);
            }
        });
        return out;
    }

    /** Whether the pod with this address runs on the node whose namespace this is (named as for {@link #localAddresses}). */
    boolean onNode(String podIp, String netns) {
        String node = podNodes.get(canonical(podIp));
        return node != null && (netns.equals(node) || netns.endsWith("-" + node));
    }

    static String canonical(String ip) {
        try {
            return IpAddresses.format(IpAddresses.parse(ip));
        } catch (RuntimeException e) {
            return ip;
        }
    }
}
