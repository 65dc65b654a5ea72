package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftFamily;
import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.ChainType;
import dev.knet.dataplane.nft.NftObject.Hook;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.dataplane.nft.NftObject.NftMap;
import dev.knet.dataplane.nft.NftObject.NftSet;
import dev.knet.dataplane.nft.NftObject.Rule;
import dev.knet.dataplane.nft.NftObject.SetOptions;
import dev.knet.dataplane.nft.NftObject.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fixed shape of the {@code ip knet-services} table. Per-service data lives only in map elements, so the
 * number of chains and rules does not grow with services or endpoints (kube-proxy's chain-per-endpoint layout
 * made a 10k-service load take ~33 s; this one ~2 s). Chains:
 * <pre>
 *  prerouting/output  filter -110  no-endpoints vmaps: reject (no endpoints at all) or drop (none under Local;
 *                                  for externalTrafficPolicy Local, only for sources outside the cluster CIDR)
 *  prerouting/output  nat    -100  services: mark for masquerade, affinity hit, pod-only vmaps (Local-policy
 *                                  LB IPs and NodePorts act as Cluster for pods), VIP vmap, NodePort vmap
 *        svc-K / np-K           dnat to (key . numgen random mod K) map @backends: K = bucket count
 *        pod-svc-K / pod-np-K   the same over @pod-backends / @pod-nodeport-backends
 *        np-masq-K              marks NodePort traffic under Cluster policy, then goes to np-K
 *  prerouting/output  filter  -90  affinity: remember client -> chosen endpoint, after DNAT is known
 *  postrouting        nat     100  hairpin, marked traffic, pod egress to non-cluster destinations
 * </pre>
 * A map miss leaves a packet un-NATed, which is why services without endpoints need their own reject.
 */
public final class ServiceLayout {

    public static final Table TABLE = new Table(NftFamily.IP, "knet-services");
    static final String MASQ_MARK = "0x4000";

    public static final String SERVICE_IPS = "service-ips";
    /** VIP keys whose traffic from outside the cluster CIDR is masqueraded (ClusterIPs, Cluster-policy LB IPs). */
    static final String MASQ_FROM_OUTSIDE = "masq-from-outside";
    static final String NODE_IPS = "node-ips";
    public static final String NODEPORTS = "nodeports";
    public static final String BACKENDS = "backends";
    public static final String NODEPORT_BACKENDS = "nodeport-backends";
    public static final String NO_ENDPOINTS = "no-endpoints";
    public static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    /*
     * externalTrafficPolicy Local applies to clients outside the cluster only: like kube-proxy, pods reaching a
     * Local-policy LoadBalancer IP or NodePort are sent to every endpoint (Cluster), without masquerade. Hence
     * pod-only vmaps and backend maps consulted before the general ones, and a "none local: drop" that applies
     * to non-pod sources only.
     */
    static final String POD_SERVICE_IPS = "pod-service-ips";
    static final String POD_NODEPORTS = "pod-nodeports";
    static final String POD_BACKENDS = "pod-backends";
    static final String POD_NODEPORT_BACKENDS = "pod-nodeport-backends";
    public static final String NO_LOCAL_ENDPOINTS = "no-local-endpoints";
    public static final String NO_LOCAL_NODEPORTS = "no-local-nodeports";
    static final String HAIRPIN = "hairpin";
    /** Cluster-policy NodePorts (proto . port) of sticky services, marked for masquerade before the affinity lookup. */
    static final String STICKY_NODEPORTS = "sticky-nodeports";
    static final String AFFINITY = "affinity";
    static final String REJECT_CHAIN = "reject-chain";
    static final String SERVICES = "services";

    private static final String VIP_KEY = "ipv4_addr . inet_proto . inet_service";
    /**
     * The data type of endpoint maps (address . port). Written with "tcp dport" although it serves every
     * protocol: only the datatype (inet_service) is stored, and nft 1.0.6 cannot read "th dport" back from a
     * map already in the kernel ("conflicting protocols specified: ip vs. th"), which broke any rule added
     * against an existing map: the in-place full sync and new bucket chains in a partial one.
     */
    private static final String ENDPOINT = "ip daddr . tcp dport";

    private ServiceLayout() {
    }

    static String svcChain(int buckets) {
        return "svc-" + buckets;
    }

    static String podSvcChain(int buckets) {
        return "pod-svc-" + buckets;
    }

    static String podNodePortChain(int buckets) {
        return "pod-np-" + buckets;
    }

    static String nodePortChain(int buckets, boolean masquerade) {
        return (masquerade ? "np-masq-" : "np-") + buckets;
    }

    /** A chain of the table by name, enough to list or flush it. */
    static Chain chain(String name) {
        return Chain.regular(TABLE, name);
    }

    static String affinitySet(Duration timeout) {
        return "affinity-" + timeout.toSeconds();
    }

    /**
     * Every table object in dependency order: sets and maps first, then chains, then rules. The needs are
     * what the generated elements point at: svc-K/np-K/np-masq-K chains, affinity timeouts per protocol, and
     * whether sticky Cluster-policy NodePorts exist.
     */
    static List<NftObject> structure(NodeInfo node, SortedSet<ServiceElements.Need> needs) {
        SortedSet<String> bucketChains = new TreeSet<>();
        SortedSet<Long> affinityTimeouts = new TreeSet<>();
        List<ServiceElements.Need.Affinity> affinities = new ArrayList<>();
        boolean stickyNodePorts = false;
        for (ServiceElements.Need need : needs) {
            switch (need) {
                case ServiceElements.Need.BucketChain c -> bucketChains.add(c.name());
                case ServiceElements.Need.Affinity a -> {
                    affinityTimeouts.add(a.timeoutSeconds());
                    affinities.add(a);
                }
                case ServiceElements.Need.StickyNodePorts s -> stickyNodePorts = true;
            }
        }
        List<NftObject> out = new ArrayList<>();
        out.add(new NftMap(TABLE, SERVICE_IPS, KeySpec.type(VIP_KEY), "verdict", SetOptions.NONE));
        out.add(new NftSet(TABLE, MASQ_FROM_OUTSIDE, KeySpec.type(VIP_KEY), SetOptions.NONE));
        out.add(new NftSet(TABLE, NODE_IPS, KeySpec.type("ipv4_addr"), SetOptions.NONE));
        out.add(new NftMap(TABLE, NODEPORTS, KeySpec.type("inet_proto . inet_service"), "verdict", SetOptions.NONE));
        out.add(new NftMap(TABLE, BACKENDS, KeySpec.typeOf("ip daddr . meta l4proto . th dport . numgen random mod 1"), ENDPOINT, SetOptions.NONE));
        out.add(new NftMap(TABLE, NODEPORT_BACKENDS, KeySpec.typeOf("meta l4proto . th dport . numgen random mod 1"), ENDPOINT, SetOptions.NONE));
        out.add(new NftMap(TABLE, NO_ENDPOINTS, KeySpec.type(VIP_KEY), "verdict", SetOptions.NONE));
        out.add(new NftMap(TABLE, NO_ENDPOINT_NODEPORTS, KeySpec.type("inet_proto . inet_service"), "verdict", SetOptions.NONE));
        out.add(new NftMap(TABLE, POD_SERVICE_IPS, KeySpec.type(VIP_KEY), "verdict", SetOptions.NONE));
        out.add(new NftMap(TABLE, POD_NODEPORTS, KeySpec.type("inet_proto . inet_service"), "verdict", SetOptions.NONE));
        out.add(new NftMap(TABLE, POD_BACKENDS, KeySpec.typeOf("ip daddr . meta l4proto . th dport . numgen random mod 1"), ENDPOINT, SetOptions.NONE));
        out.add(new NftMap(TABLE, POD_NODEPORT_BACKENDS, KeySpec.typeOf("meta l4proto . th dport . numgen random mod 1"), ENDPOINT, SetOptions.NONE));
        out.add(new NftMap(TABLE, NO_LOCAL_ENDPOINTS, KeySpec.type(VIP_KEY), "verdict", SetOptions.NONE));
        out.add(new NftMap(TABLE, NO_LOCAL_NODEPORTS, KeySpec.type("inet_proto . inet_service"), "verdict", SetOptions.NONE));
        out.add(new NftSet(TABLE, HAIRPIN, KeySpec.type("ipv4_addr . ipv4_addr"), SetOptions.NONE));
        out.add(new NftMap(TABLE, AFFINITY, KeySpec.typeOf("ip saddr . ip daddr . meta l4proto . th dport"), ENDPOINT,
                new SetOptions(List.of("dynamic", "timeout"), Duration.ofSeconds(10800), 65535)));
        for (long t : affinityTimeouts) {
            out.add(new NftSet(TABLE, affinitySet(Duration.ofSeconds(t)), KeySpec.typeOf("ip daddr . meta l4proto . th dport"), SetOptions.NONE));
        }
        if (stickyNodePorts) {
            out.add(new NftSet(TABLE, STICKY_NODEPORTS, KeySpec.type("inet_proto . inet_service"), SetOptions.NONE));
        }

        chain(out, REJECT_CHAIN, "meta l4proto tcp reject with tcp reset", "reject");
        for (String name : bucketChains) {
            out.addAll(bucketChain(name));
        }
        String cluster = node.clusterCidr().toString();
        List<String> services = new ArrayList<>();
        services.add("ip saddr != " + cluster + " ip daddr . meta l4proto . th dport @" + MASQ_FROM_OUTSIDE + " meta mark set meta mark | " + MASQ_MARK);
        if (stickyNodePorts) {
            services.add("ip daddr @" + NODE_IPS + " meta l4proto . th dport @" + STICKY_NODEPORTS + " meta mark set meta mark | " + MASQ_MARK);
        }
        // One lookup per protocol, like the DNAT rules: with "th dport" nft stores the rule with an implicit
        // "meta l4proto tcp" (it lists as "tcp dport"), and UDP flows never found their remembered endpoint.
        services.addAll(List.of(perProtocol("ip saddr . ip daddr . ", " map @" + AFFINITY)));
        services.add("ip saddr " + cluster + " ip daddr . meta l4proto . th dport vmap @" + POD_SERVICE_IPS);
        services.add("ip saddr " + cluster + " ip daddr @" + NODE_IPS + " meta l4proto . th dport vmap @" + POD_NODEPORTS);
        services.add("ip daddr . meta l4proto . th dport vmap @" + SERVICE_IPS);
        services.add("ip daddr @" + NODE_IPS + " meta l4proto . th dport vmap @" + NODEPORTS);
        chain(out, SERVICES, services.toArray(String[]::new));
        String[] noEndpoints = {
                "ct state new ip daddr . meta l4proto . th dport vmap @" + NO_ENDPOINTS,
                "ct state new ip daddr @" + NODE_IPS + " meta l4proto . th dport vmap @" + NO_ENDPOINT_NODEPORTS,
                "ct state new ip saddr != " + cluster + " ip daddr . meta l4proto . th dport vmap @" + NO_LOCAL_ENDPOINTS,
                "ct state new ip saddr != " + cluster + " ip daddr @" + NODE_IPS + " meta l4proto . th dport vmap @" + NO_LOCAL_NODEPORTS};
        base(out, "filter-prerouting", ChainType.FILTER, Hook.PREROUTING, -110, noEndpoints);
        base(out, "filter-output", ChainType.FILTER, Hook.OUTPUT, -110, noEndpoints);
        base(out, "nat-prerouting", ChainType.NAT, Hook.PREROUTING, -100, "jump " + SERVICES);
        base(out, "nat-output", ChainType.NAT, Hook.OUTPUT, -100, "jump " + SERVICES);
        List<String> affinity = new ArrayList<>();
        for (ServiceElements.Need.Affinity a : affinities) {
            long t = a.timeoutSeconds();
            // "ct original proto-dst" has no fixed size without a protocol context, hence one rule per protocol.
            affinity.add("meta l4proto " + a.protocol().nft() + " ct state new ct status dnat ct original ip daddr . meta l4proto . ct original proto-dst @"
                    + affinitySet(Duration.ofSeconds(t)) + " update @" + AFFINITY
                    + " { ip saddr . ct original ip daddr . meta l4proto . ct original proto-dst timeout " + t + "s : ip daddr . th dport }");
        }
        base(out, "affinity-prerouting", ChainType.FILTER, Hook.PREROUTING, -90, affinity.toArray(String[]::new));
        base(out, "affinity-output", ChainType.FILTER, Hook.OUTPUT, -90, affinity.toArray(String[]::new));
        base(out, "nat-postrouting", ChainType.NAT, Hook.POSTROUTING, 100,
                "ct status dnat ip saddr . ip daddr @" + HAIRPIN + " masquerade",
                "meta mark & " + MASQ_MARK + " == " + MASQ_MARK + " meta mark set meta mark ^ " + MASQ_MARK + " masquerade",
                "ip saddr " + cluster + " ip daddr != " + cluster + " oifname \"" + node.uplink() + "\" masquerade");
        return out;
    }

    private static List<NftObject> bucketChain(String name) {
        int buckets = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        String numgen = " . numgen random mod " + buckets + " map @";
        List<NftObject> out = new ArrayList<>();
        if (name.equals(nodePortChain(buckets, true))) {
            chain(out, name, "meta mark set meta mark | " + MASQ_MARK, "goto " + nodePortChain(buckets, false));
        } else if (name.equals(nodePortChain(buckets, false))) {
            chain(out, name, perProtocol("", numgen + NODEPORT_BACKENDS));
        } else if (name.equals(podNodePortChain(buckets))) {
            chain(out, name, perProtocol("", numgen + POD_NODEPORT_BACKENDS));
        } else if (name.equals(podSvcChain(buckets))) {
            chain(out, name, perProtocol("ip daddr . ", numgen + POD_BACKENDS));
        } else {
            chain(out, name, perProtocol("ip daddr . ", numgen + BACKENDS));
        }
        return out;
    }

    /**
     * One DNAT rule per transport protocol. nft 1.0.6 refuses "th dport" in a rule whose map is
     * already in the kernel, and "tcp dport" alone carries an implicit "meta l4proto tcp": UDP and
     * SCTP need rules of their own, or their packets leave the chain un-NATed.
     */
    private static String[] perProtocol(String keyPrefix, String mapSuffix) {
        return java.util.stream.Stream.of("tcp", "udp", "sctp")
                .map(p -> "meta l4proto " + p + " dnat ip to " + keyPrefix + "meta l4proto . " + p + " dport" + mapSuffix)
                .toArray(String[]::new);
    }

    private static void chain(List<NftObject> out, String name, String... rules) {
        out.add(Chain.regular(TABLE, name));
        for (String r : rules) {
            out.add(new Rule(TABLE, name, r));
        }
    }

    private static void base(List<NftObject> out, String name, ChainType type, Hook hook, int priority, String... rules) {
        out.add(Chain.base(TABLE, name, type, hook, priority));
        for (String r : rules) {
            out.add(new Rule(TABLE, name, r));
        }
    }
}
