package dev.knet.bench.dns;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's cluster: ClusterIP Services with two named ports, and headless Services whose
 * EndpointSlices list a few ready endpoints with a named port. It yields the Kubernetes objects
 * (what knet serves) and the same zone as flat records (what the peer servers are given), so
 * every server answers the same names with the same data.
 */
public record BenchZone(String zone, List<ClusterIpService> clusterIp, List<HeadlessService> headless) {

    public static final String DEFAULT_ZONE = "cluster.local";

    public record ClusterIpService(String namespace, String name, String ip) {
    }

    public record HeadlessService(String namespace, String name, List<String> endpointIps) {
    }

    /** One record as a peer server is configured with: owner name, type, and presentation data. */
    public record FlatRecord(String name, String type, String data) {
    }

    /** One dnsperf line, and the rcode it must get. */
    public record Query(String name, String type, String rcode) {
    }

    static final int HTTP_PORT = 80;
    static final int GRPC_PORT = 9090;
    static final int ENDPOINT_PORT = 8080;

    /**
     * @param services ClusterIP Services (10.96.0.0/16), spread round-robin over namespaces
     * @param headless headless Services, each with {@code endpoints} endpoints (10.244.0.0/16)
     */
    public static BenchZone generate(int services, int headless, int endpoints, int namespaces) {
        List<ClusterIpService> ci = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            ci.add(new ClusterIpService("ns-" + (i % namespaces), "svc-" + i, ip(10, 96, i + 10)));
        }
        List<HeadlessService> hs = new ArrayList<>();
        int next = 10;
        for (int i = 0; i < headless; i++) {
            List<String> ips = new ArrayList<>();
            for (int e = 0; e < endpoints; e++) {
                ips.add(ip(10, 244, next++));
            }
            hs.add(new HeadlessService("ns-" + (i % namespaces), "hs-" + i, List.copyOf(ips)));
        }
        return new BenchZone(DEFAULT_ZONE, List.copyOf(ci), List.copyOf(hs));
    }

    private static String ip(int a, int b, int n) {
        return a + "." + b + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }

    String fqdn(String namespace, String name) {
        return name + "." + namespace + ".svc." + zone;
    }

    static String dashed(String ip) {
        return ip.replace('.', '-');
    }

    /** The Services and EndpointSlices knet loads. */
    public List<HasMetadata> objects() {
        List<HasMetadata> out = new ArrayList<>();
        for (ClusterIpService s : clusterIp) {
            out.add(service(s.namespace(), s.name(), s.ip()));
        }
        for (HeadlessService h : headless) {
            out.add(service(h.namespace(), h.name(), "None"));
            out.add(slice(h));
        }
        return out;
    }

    static Service service(String namespace, String name, String clusterIp) {
        var spec = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withSelector(java.util.Map.of("app", name));
        if (!"None".equals(clusterIp)) {
            spec.withClusterIPs(clusterIp);
        }
        spec.addNewPort().withName("http").withProtocol("TCP").withPort(HTTP_PORT).endPort();
        if (!"None".equals(clusterIp)) {
            spec.addNewPort().withName("grpc").withProtocol("TCP").withPort(GRPC_PORT).endPort();
        }
        return spec.endSpec().build();
    }

    private static EndpointSlice slice(HeadlessService h) {
        var b = new EndpointSliceBuilder().withNewMetadata().withNamespace(h.namespace()).withName(h.name() + "-abcde")
                .addToLabels("kubernetes.io/service-name", h.name()).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(ENDPOINT_PORT).endPort();
        for (String ip : h.endpointIps()) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true).endConditions()
                    .build());
        }
        return b.build();
    }

    /** The A and SRV records knet derives from {@link #objects()} (spec 2.3 and 2.4), for the peers. */
    public List<FlatRecord> records() {
        List<FlatRecord> out = new ArrayList<>();
        for (ClusterIpService s : clusterIp) {
            String name = fqdn(s.namespace(), s.name());
            out.add(new FlatRecord(name, "A", s.ip()));
            out.add(new FlatRecord("_http._tcp." + name, "SRV", "0 100 " + HTTP_PORT + " " + name + "."));
            out.add(new FlatRecord("_grpc._tcp." + name, "SRV", "0 100 " + GRPC_PORT + " " + name + "."));
        }
        for (HeadlessService h : headless) {
            String name = fqdn(h.namespace(), h.name());
            for (String ip : h.endpointIps()) {
                String host = dashed(ip) + "." + name;
                out.add(new FlatRecord(name, "A", ip));
                out.add(new FlatRecord(host, "A", ip));
                out.add(new FlatRecord("_http._tcp." + name, "SRV", "0 100 " + ENDPOINT_PORT + " " + host + "."));
            }
        }
        return out;
    }

    /**
     * A shuffled query file: {@code aHits}% A queries for existing names (Service names, headless
     * names, endpoint hostnames), {@code srv}% SRV queries, the rest A queries for absent names
     * in existing namespaces (NXDOMAIN).
     */
    public List<Query> queries(int count, int aHits, int srv, long seed) {
        Random random = new Random(seed);
        int namespaces = namespaceCount();
        List<Query> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(100);
            if (roll < aHits) {
                out.add(new Query(addressName(random), "A", "NOERROR"));
            } else if (roll < aHits + srv) {
                out.add(new Query(srvName(random), "SRV", "NOERROR"));
            } else {
                String ns = "ns-" + random.nextInt(namespaces);
                out.add(new Query("missing-" + random.nextInt(1_000_000) + "." + ns + ".svc." + zone, "A", "NXDOMAIN"));
            }
        }
        return out;
    }

    private String addressName(Random random) {
        int pick = random.nextInt(10);
        if (pick < 8 || headless.isEmpty()) {
            ClusterIpService s = clusterIp.get(random.nextInt(clusterIp.size()));
            return fqdn(s.namespace(), s.name());
        }
        HeadlessService h = headless.get(random.nextInt(headless.size()));
        String name = fqdn(h.namespace(), h.name());
        return pick == 8 ? name : dashed(h.endpointIps().get(random.nextInt(h.endpointIps().size()))) + "." + name;
    }

    private String srvName(Random random) {
        if (random.nextInt(5) > 0 || headless.isEmpty()) {
            ClusterIpService s = clusterIp.get(random.nextInt(clusterIp.size()));
            return "_http._tcp." + fqdn(s.namespace(), s.name());
        }
        HeadlessService h = headless.get(random.nextInt(headless.size()));
        return "_http._tcp." + fqdn(h.namespace(), h.name());
    }

    private int namespaceCount() {
        return (int) clusterIp.stream().map(ClusterIpService::namespace).distinct().count();
    }
}
