package dev.knet.lab;

/** The four pod-network styles the talk compares, one per cluster. */
public enum LabMode {
    /** L2: pods of all nodes on one bridged segment; ARP crosses nodes. */
    BRIDGE,
    /** L3: a podCIDR per node, routes via the nodes' underlay IPs (optionally learned over BGP). */
    ROUTED,
    /** Overlay: a podCIDR per node, VXLAN between nodes, FDB/neighbour entries from Node objects. */
    VXLAN,
    /** Cloud: nodes send pod traffic to an underlay "VPC router" whose routes a controller programs. */
    CLOUD;

    public static LabMode parse(String text) {
        try {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode \"" + text + "\": bridge, routed, vxlan or cloud");
        }
    }
}
