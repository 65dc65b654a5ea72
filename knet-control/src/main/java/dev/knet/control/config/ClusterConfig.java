package dev.knet.control.config;

import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of one cluster: its nodes and address plan. Defaults follow the lab plan: three nodes
 * on the 198.18.0.0/24 underlay (.11, .12, ...), pods from 10.244.0.0/16 in a /24 per node,
 * Services from 10.96.0.0/16, NodePorts 30000-32767 and LoadBalancer IPs from 198.18.0.200/29.
 *
 * @param clusterCidrs one prefix per IP family (a list so dual-stack stays possible)
 * @param nodeMaskV4   prefix length of each node's IPv4 pod CIDR
 * @param nodeMaskV6   prefix length of each node's IPv6 pod CIDR
 */
public record ClusterConfig(String name, List<NodeConfig> nodes, List<Cidr> clusterCidrs, int nodeMaskV4,
                            int nodeMaskV6, Cidr serviceCidr, PortRange nodePortRange, Cidr loadBalancerPool) {

    public static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
    public static final String LABEL_OS = "kubernetes.io/os";
    public static final String LABEL_ZONE = "topology.kubernetes.io/zone";
    public static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");
    public static final String DEFAULT_NAME = "knet";
    public static final int DEFAULT_NODE_COUNT = 3;
    public static final String DEFAULT_FIRST_NODE_IP = "198.18.0.11";

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
        clusterCidrs = List.copyOf(clusterCidrs);
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(nodePortRange, "nodePortRange");
        Objects.requireNonNull(loadBalancerPool, "loadBalancerPool");
        if (clusterCidrs.isEmpty()) {
            throw new IllegalArgumentException("clusterCidr must name at least one prefix");
        }
        for (Cidr c : clusterCidrs) {
            int mask = c.isIpv4() ? nodeMaskV4 : nodeMaskV6;
            if (mask < c.prefixLength() || mask > c.bits() - 2) {
                throw new IllegalArgumentException("node mask /" + mask + " does not fit in " + c);
            }
        }
        if (!serviceCidr.isIpv4() || serviceCidr.prefixLength() > 28) {
            throw new IllegalArgumentException("serviceCidr " + serviceCidr + " must be IPv4 with at least 16 addresses");
        }
        List<String> names = nodes.stream().map(NodeConfig::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("duplicate node names in " + names);
        }
    }

    /** The default cluster: {@value DEFAULT_NODE_COUNT} nodes. */
    public static ClusterConfig defaults() {
        return withNodes(DEFAULT_NAME, DEFAULT_NODE_COUNT);
    }

    /** Default address plan with n nodes named node-1..node-n. */
    public static ClusterConfig withNodes(String name, int count) {
        return new ClusterConfig(name, defaultNodes(count, DEFAULT_FIRST_NODE_IP),
                List.of(Cidr.parse("10.244.0.0/16")), 24, 64, Cidr.parse("10.96.0.0/16"),
                new PortRange(30000, 32767), Cidr.parse("198.18.0.200/29"));
    }

    /** node-1..node-n with InternalIPs counting up from firstIp and zones round-robin. */
    public static List<NodeConfig> defaultNodes(int count, String firstIp) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, got " + count);
        }
        Cidr first = Cidr.parse(firstIp);
        List<NodeConfig> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ip = IpAddresses.format(addressPlus(first, i));
            out.add(new NodeConfig("node-" + (i + 1), ip, defaultLabels("node-" + (i + 1), i)));
        }
        return out;
    }

    public static Map<String, String> defaultLabels(String nodeName, int index) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_HOSTNAME, nodeName);
        labels.put(LABEL_OS, "linux");
        labels.put(LABEL_ZONE, ZONES.get(index % ZONES.size()));
        return labels;
    }

    private static byte[] addressPlus(Cidr host, int n) {
        byte[] b = host.base().clone();
        int carry = n;
        for (int i = b.length - 1; i >= 0 && carry != 0; i--) {
            int v = (b[i] & 0xff) + carry;
            b[i] = (byte) v;
            carry = v >> 8;
        }
        return b;
    }

    /** The cluster DNS Service address: the 10th address of the service range (10.96.0.10). */
    public String dnsServiceIp() {
        return serviceCidr.addressStringAt(10);
    }

    public int nodeMask(Cidr clusterCidr) {
        return clusterCidr.isIpv4() ? nodeMaskV4 : nodeMaskV6;
    }
}
