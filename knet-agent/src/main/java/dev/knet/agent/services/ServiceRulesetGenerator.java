package dev.knet.agent.services;

import dev.knet.agent.services.ServiceElements.Need;
import dev.knet.agent.services.ServiceInfo.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns services and their endpoints into the {@link ServiceRuleset} for one node. Pure: the same input always
 * gives the same ruleset, which is what makes whole-ruleset golden tests and partial diffs possible. The work is
 * done one service at a time ({@link #forService}), so the proxy can cache each service's contribution and
 * regenerate only what events touched; {@link #generate} folds the same contributions for a whole ruleset.
 * Given the service's previous contribution, backends keep their numgen buckets ({@link BucketPlan}): the
 * result then equals a fresh generation up to which bucket holds which backend.
 */
public final class ServiceRulesetGenerator {

    private static final String REJECT = "goto " + ServiceLayout.REJECT_CHAIN;

    private final NodeInfo node;

    public ServiceRulesetGenerator(NodeInfo node) {
        this.node = node;
    }

    NodeInfo node() {
        return node;
    }

    public ServiceRuleset generate(Map<ServiceKey, ServiceInfo> services, Map<ServiceKey, List<EndpointInfo>> endpoints) {
        ElementTable table = new ElementTable();
        table.replace(ElementTable.NODE, ServiceElements.NONE, forNode(), null);
        services.forEach((key, svc) -> table.replace(key, ServiceElements.NONE, forService(svc, endpoints.getOrDefault(key, List.of())), null));
        return table.ruleset(node);
    }

    /** The node's own elements: its addresses, where NodePorts answer. */
    ServiceElements forNode() {
        Builder b = new Builder(ServiceElements.NONE);
        node.nodeIps().forEach(ip -> b.put(ServiceLayout.NODE_IPS, ip, ""));
        return b.build();
    }

    /** One service's elements; a headless service contributes nothing. */
    ServiceElements forService(ServiceInfo svc, List<EndpointInfo> eps) {
        return forService(svc, eps, ServiceElements.NONE);
    }

    /** One service's elements, keeping backends in the buckets {@code previous} gave them. */
    ServiceElements forService(ServiceInfo svc, List<EndpointInfo> eps, ServiceElements previous) {
        Builder b = new Builder(previous);
        if (!svc.isHeadless()) {
            addService(b, svc, eps);
        }
        return b.build();
    }

    private void addService(Builder b, ServiceInfo svc, List<EndpointInfo> eps) {
        boolean external = svc.type() != ServiceInfo.Type.CLUSTER_IP;
        for (ServiceInfo.Port port : svc.ports()) {
            String proto = port.protocol().nft();
            // Selected once per policy (a full sync selects for every service): the Cluster choice serves the
            // Cluster policies, pods, and "any usable endpoint anywhere?", which decides reject (none) or drop
            // (none here).
            List<Backend> cluster = EndpointSelector.select(port, eps, TrafficPolicy.CLUSTER);
            boolean anyEndpoint = !cluster.isEmpty();
            List<Backend> local = svc.internalTrafficPolicy() == TrafficPolicy.LOCAL || svc.externalTrafficPolicy() == TrafficPolicy.LOCAL
                    ? EndpointSelector.select(port, eps, TrafficPolicy.LOCAL) : List.of();
            List<Backend> internal = svc.internalTrafficPolicy() == TrafficPolicy.LOCAL ? local : cluster;
            List<Backend> externalBackends = svc.externalTrafficPolicy() == TrafficPolicy.LOCAL ? local : cluster;
            boolean externalMasq = svc.externalTrafficPolicy() == TrafficPolicy.CLUSTER;

            // Pods reaching a Local-policy LB IP or NodePort are treated as Cluster (kube-proxy does the same).
            List<Backend> forPods = externalMasq ? List.of() : cluster;

            String vipKey = svc.clusterIp() + " . " + proto + " . " + port.port();
            b.put(ServiceLayout.MASQ_FROM_OUTSIDE, vipKey, "");
            vip(b, vipKey, internal, anyEndpoint, svc, port.protocol(), ServiceLayout.NO_ENDPOINTS);
            // LoadBalancer ingress addresses and spec.externalIPs
            for (String lb : svc.externalVips()) {
                String lbKey = lb + " . " + proto + " . " + port.port();
                if (externalMasq) {
                    // Like kube-proxy: pods keep their source, outside clients are masqueraded (Cluster policy).
                    b.put(ServiceLayout.MASQ_FROM_OUTSIDE, lbKey, "");
                }
                vip(b, lbKey, externalBackends, anyEndpoint, svc, port.protocol(),
                        externalMasq ? ServiceLayout.NO_ENDPOINTS : ServiceLayout.NO_LOCAL_ENDPOINTS);
                forPods(b, ServiceLayout.POD_SERVICE_IPS, ServiceLayout.POD_BACKENDS, lbKey, forPods, false);
            }
            if (external && port.nodePort() > 0) {
                nodePort(b, svc, port, externalBackends, anyEndpoint, externalMasq);
                forPods(b, ServiceLayout.POD_NODEPORTS, ServiceLayout.POD_NODEPORT_BACKENDS,
                        port.protocol().nft() + " . " + port.nodePort(), forPods, true);
            }
            for (List<Backend> list : List.of(internal, externalBackends, forPods)) {
                list.forEach(be -> hairpin(b, be));
            }
        }
    }

    /** noLocal is where "endpoints exist, none here" goes: no-local-endpoints when pods are exempt from it. */
    private static void vip(Builder b, String vipKey, List<Backend> backends, boolean anyEndpoint, ServiceInfo svc, Protocol protocol,
                            String noLocal) {
        if (backends.isEmpty()) {
            // No endpoint anywhere: refuse the connection. Endpoints exist but none under a Local policy: drop.
            b.put(anyEndpoint ? noLocal : ServiceLayout.NO_ENDPOINTS, vipKey, anyEndpoint ? "drop" : REJECT);
            return;
        }
        List<Backend> buckets = b.assign(ServiceLayout.BACKENDS, vipKey, backends);
        b.put(ServiceLayout.SERVICE_IPS, vipKey, "goto " + b.chain(ServiceLayout.svcChain(buckets.size())));
        for (int i = 0; i < buckets.size(); i++) {
            b.put(ServiceLayout.BACKENDS, vipKey + " . " + i, buckets.get(i).nft());
        }
        if (svc.sessionAffinity() instanceof ServiceInfo.SessionAffinity.ClientIp(var timeout)) {
            b.needs.add(new Need.Affinity(timeout.toSeconds(), protocol));
            b.put(ServiceLayout.affinitySet(timeout), vipKey, "");
        }
    }

    private void nodePort(Builder b, ServiceInfo svc, ServiceInfo.Port port, List<Backend> backends, boolean anyEndpoint, boolean masq) {
        String key = port.protocol().nft() + " . " + port.nodePort();
        if (backends.isEmpty()) {
            // Under Local policy "none here" only drops sources outside the cluster: pods go on to pod-nodeports.
            String set = anyEndpoint && !masq ? ServiceLayout.NO_LOCAL_NODEPORTS : ServiceLayout.NO_ENDPOINT_NODEPORTS;
            b.put(set, key, anyEndpoint ? "drop" : REJECT);
            return;
        }
        List<Backend> buckets = b.assign(ServiceLayout.NODEPORT_BACKENDS, key, backends);
        b.chain(ServiceLayout.nodePortChain(buckets.size(), false));
        b.put(ServiceLayout.NODEPORTS, key, "goto " + b.chain(ServiceLayout.nodePortChain(buckets.size(), masq)));
        for (int i = 0; i < buckets.size(); i++) {
            b.put(ServiceLayout.NODEPORT_BACKENDS, key + " . " + i, buckets.get(i).nft());
        }
        if (svc.sessionAffinity() instanceof ServiceInfo.SessionAffinity.ClientIp(var timeout)) {
            // The client's choice is remembered under the address it used: every node IP is such an address.
            b.needs.add(new Need.Affinity(timeout.toSeconds(), port.protocol()));
            for (String ip : node.nodeIps()) {
                b.put(ServiceLayout.affinitySet(timeout), ip + " . " + key, "");
            }
            if (masq) {
                // An affinity hit skips np-masq-K, so Cluster-policy NodePorts are marked before the lookup.
                b.needs.add(new Need.StickyNodePorts());
                b.put(ServiceLayout.STICKY_NODEPORTS, key, "");
            }
        }
    }

    /** The pod-only route of a Local-policy LB IP or NodePort: every endpoint, as under Cluster policy. */
    private static void forPods(Builder b, String vmap, String backendMap, String key, List<Backend> backends, boolean nodePort) {
        if (backends.isEmpty()) {
            return;
        }
        List<Backend> buckets = b.assign(backendMap, key, backends);
        String chain = nodePort ? ServiceLayout.podNodePortChain(buckets.size()) : ServiceLayout.podSvcChain(buckets.size());
        b.put(vmap, key, "goto " + b.chain(chain));
        for (int i = 0; i < buckets.size(); i++) {
            b.put(backendMap, key + " . " + i, buckets.get(i).nft());
        }
    }

    /** A pod reaching itself through a VIP must be masqueraded, or it would answer itself from its own IP. */
    private static void hairpin(Builder b, Backend be) {
        if (be.isLocal()) {
            b.put(ServiceLayout.HAIRPIN, be.ip() + " . " + be.ip(), "");
        }
    }

    /** Elements collected per set plus the structure they need. */
    private static final class Builder {
        final SortedMap<String, SortedMap<String, String>> elements = new TreeMap<>();
        final SortedSet<Need> needs = new TreeSet<>();
        final ServiceElements previous;

        Builder(ServiceElements previous) {
            this.previous = previous;
        }

        /** Buckets for one key, keeping the previous assignment where the bucket count is unchanged. */
        List<Backend> assign(String map, String key, List<Backend> backends) {
            SortedMap<String, String> had = previous.elements().get(map);
            int n = BucketPlan.buckets(backends.size());
            if (had == null || had.containsKey(key + " . " + n)) {
                return BucketPlan.assign(backends);
            }
            String[] before = new String[n];
            for (int i = 0; i < n; i++) {
                before[i] = had.get(key + " . " + i);
            }
            return BucketPlan.assign(backends, before);
        }

        void put(String set, String key, String value) {
            elements.computeIfAbsent(set, s -> new TreeMap<>()).put(key, value);
        }

        String chain(String name) {
            needs.add(new Need.BucketChain(name));
            return name;
        }

        ServiceElements build() {
            return new ServiceElements(elements, needs);
        }
    }
}
