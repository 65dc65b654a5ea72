package dev.knet.cli.print;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * What one node's Service proxy has in the kernel for virtual IPs, read back from its nftables table: per
 * (VIP, protocol, port) the distinct endpoints its numgen buckets DNAT to, and the keys that reject or drop
 * because the Service has no endpoint (for that node). Only these two facts are kept: they are what a user
 * needs to tell "programmed" from "stale" without reading the ruleset.
 */
public record NodeServiceTable(Map<VipPort, SortedSet<String>> backends, Set<VipPort> noEndpoints) {

    /** A node whose table is not there (yet): nothing is programmed. */
    public static final NodeServiceTable EMPTY = new NodeServiceTable(Map.of(), Set.of());

    public NodeServiceTable {
        backends = Map.copyOf(backends);
        noEndpoints = Set.copyOf(noEndpoints);
    }

    /** A map key of the services table: the virtual IP, the protocol as nft names it (tcp, udp, sctp), the port. */
    public record VipPort(String ip, String protocol, int port) {
        public VipPort {
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(protocol, "protocol");
        }
    }
}
