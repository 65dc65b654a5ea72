package dev.knet.agent.services;

import dev.knet.agent.services.ServiceInfo.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns services and their endpoints into the {@link ServiceRuleset} for one node. Pure: the same input always
 * gives the same ruleset, which is what makes whole-ruleset golden tests and partial diffs possible.
 */
public final class ServiceRulesetGenerator {

    private static final String REJECT = "goto " + ServiceLayout.REJECT_CHAIN;

    private final NodeInfo node;

    public ServiceRulesetGenerator(NodeInfo node) {
        this.node = node;
    }

    public ServiceRuleset generate(Map<ServiceKey, ServiceInfo> services, Map<ServiceKey, List<EndpointInfo>> endpoints) {
        Builder b = new Builder();
        node.nodeIps().forEach(ip -> b.put(ServiceLayout.NODE_IPS, ip, ""));
        new TreeMap<>(services).forEach((key, svc) -> {
            if (!svc.isHeadless()) {
                addService(b, svc, endpoints.getOrDefault(key, List.of()));
            }
        });
        return new ServiceRuleset(ServiceLayout.structure(node, b.bucketChains, b.affinityTimeouts, b.affinityProtocols), b.elements);
    }

    private void addService(Builder b, ServiceInfo svc, List<EndpointInfo> eps) {
        boolean external = svc.type() != ServiceInfo.Type.CLUSTER_IP;
        for (ServiceInfo.Port port : svc.ports()) {
            String proto = port.protocol().nft();
            boolean anyEndpoint = EndpointSelector.hasAny(port, eps);
            List<Backend> internal = EndpointSelector.select(port, eps, svc.internalTrafficPolicy());
            List<Backend> externalBackends = EndpointSelector.select(port, eps, svc.externalTrafficPolicy());
            boolean externalMasq = svc.externalTrafficPolicy() == TrafficPolicy.CLUSTER;

            String vipKey = svc.clusterIp() + " . " + proto + " . " + port.port();
            b.put(ServiceLayout.MASQ_FROM_OUTSIDE, vipKey, "");
            vip(b, vipKey, internal, anyEndpoint, svc);
            if (svc.type() == ServiceInfo.Type.LOAD_BALANCER) {
                for (String lb : svc.loadBalancerIps()) {
                    String lbKey = lb + " . " + proto + " . " + port.port();
                    if (externalMasq) {
                        // Like kube-proxy: pods keep their source, outside clients are masqueraded (Cluster policy).
                        b.put(ServiceLayout.MASQ_FROM_OUTSIDE, lbKey, "");
                    }
                    vip(b, lbKey, externalBackends, anyEndpoint, svc);
                }
            }
            if (external && port.nodePort() > 0) {
                nodePort(b, proto + " . " + port.nodePort(), externalBackends, anyEndpoint, externalMasq);
            }
            for (Backend be : internal) {
                hairpin(b, be);
            }
            for (Backend be : externalBackends) {
                hairpin(b, be);
            }
        }
    }

    private static void vip(Builder b, String vipKey, List<Backend> backends, boolean anyEndpoint, ServiceInfo svc) {
        if (backends.isEmpty()) {
            // No endpoint anywhere: refuse the connection. Endpoints exist but none under a Local policy: drop.
            b.put(ServiceLayout.NO_ENDPOINTS, vipKey, anyEndpoint ? "drop" : REJECT);
            return;
        }
        List<Backend> buckets = BucketPlan.assign(backends);
        b.put(ServiceLayout.SERVICE_IPS, vipKey, "goto " + b.svcChain(buckets.size()));
        for (int i = 0; i < buckets.size(); i++) {
            b.put(ServiceLayout.BACKENDS, vipKey + " . " + i, buckets.get(i).nft());
        }
        if (svc.sessionAffinity() instanceof ServiceInfo.SessionAffinity.ClientIp(var timeout)) {
            b.affinityTimeouts.add(timeout.toSeconds());
            b.affinityProtocols.add(Protocol.valueOf(vipKey.split(" \\. ")[1].toUpperCase(java.util.Locale.ROOT)));
            b.put(ServiceLayout.affinitySet(timeout), vipKey, "");
        }
    }

    private static void nodePort(Builder b, String key, List<Backend> backends, boolean anyEndpoint, boolean masq) {
        if (backends.isEmpty()) {
            b.put(ServiceLayout.NO_ENDPOINT_NODEPORTS, key, anyEndpoint ? "drop" : REJECT);
            return;
        }
        List<Backend> buckets = BucketPlan.assign(backends);
        b.put(ServiceLayout.NODEPORTS, key, "goto " + b.nodePortChain(buckets.size(), masq));
        for (int i = 0; i < buckets.size(); i++) {
            b.put(ServiceLayout.NODEPORT_BACKENDS, key + " . " + i, buckets.get(i).nft());
        }
    }

    /** A pod reaching itself through a VIP must be masqueraded, or it would answer itself from its own IP. */
    private static void hairpin(Builder b, Backend be) {
        if (be.isLocal()) {
            b.put(ServiceLayout.HAIRPIN, be.ip() + " . " + be.ip(), "");
        }
    }

    /** Elements collected per set plus the bucket chains and affinity rules they need. */
    private static final class Builder {
        final SortedMap<String, SortedMap<String, String>> elements = new TreeMap<>();
        final SortedSet<String> bucketChains = new TreeSet<>();
        final SortedSet<Long> affinityTimeouts = new TreeSet<>();
        final SortedSet<Protocol> affinityProtocols = new TreeSet<>();

        Builder() {
            for (String s : List.of(ServiceLayout.SERVICE_IPS, ServiceLayout.MASQ_FROM_OUTSIDE, ServiceLayout.NODE_IPS,
                    ServiceLayout.NODEPORTS, ServiceLayout.BACKENDS, ServiceLayout.NODEPORT_BACKENDS,
                    ServiceLayout.NO_ENDPOINTS, ServiceLayout.NO_ENDPOINT_NODEPORTS, ServiceLayout.HAIRPIN)) {
                elements.put(s, new TreeMap<>());
            }
        }

        void put(String set, String key, String value) {
            elements.computeIfAbsent(set, s -> new TreeMap<>()).put(key, value);
        }

        String svcChain(int buckets) {
            bucketChains.add(ServiceLayout.svcChain(buckets));
            return ServiceLayout.svcChain(buckets);
        }

        String nodePortChain(int buckets, boolean masq) {
            bucketChains.add(ServiceLayout.nodePortChain(buckets, false));
            if (masq) {
                bucketChains.add(ServiceLayout.nodePortChain(buckets, true));
            }
            return ServiceLayout.nodePortChain(buckets, masq);
        }
    }
}
