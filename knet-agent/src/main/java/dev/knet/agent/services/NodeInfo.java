package dev.knet.agent.services;

import dev.knet.model.net.Cidr;
import java.util.List;
import java.util.Objects;

/** The node this proxy programs: its addresses (NodePorts answer there), pod and cluster CIDRs, uplink. */
public record NodeInfo(String name, List<String> nodeIps, Cidr podCidr, Cidr clusterCidr, String uplink) {

    public NodeInfo {
        Objects.requireNonNull(name, "name");
        nodeIps = List.copyOf(nodeIps);
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(uplink, "uplink");
    }
}
