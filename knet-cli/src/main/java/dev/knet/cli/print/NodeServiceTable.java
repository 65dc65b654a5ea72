package dev.knet.cli.print;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * What one node's Service proxy has in the kernel for virtual IPs and NodePorts, read back from its nftables table:
 * per (VIP or NodePort, protocol, port) the distinct endpoints its numgen buckets DNAT to, and the keys that reject
 * or drop because the Service has no endpoint (for that node, under a Local policy). Only these two facts are kept: they are what a user
 * needs to tell "programmed" from "stale" without reading the ruleset.
 */
public record NodeServiceTable(Map<VipPort, SortedSet<String>> backends, Set<VipPort> noEndpoints) {

    /** A node whose table is not there (yet): nothing is programmed. */
    public static final NodeServiceTable EMPTY = new NodeServiceTable(Map.of(), Set.of());

    public NodeServiceTable {
        backends = Map.copyOf(backends);
        noEndpoints = Set.copyOf(noEndpoints);
    }

    /**
     * A map key of the services table: the virtual IP, the protocol as nft names it (tcp, udp, sctp), the port.
     * A NodePort's key has {@link #ANY_NODE_IP} for its address: the agent matches it on every node IP.
     */
    public record VipPort(String ip, String protocol, int port) {

        public static final String ANY_NODE_IP = "*";

        public VipPort {
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(protocol, "protocol");
        }

        public static VipPort nodePort(String protocol, int port) {
            return new VipPort(ANY_NODE_IP, protocol, port);
        }
    }
}
