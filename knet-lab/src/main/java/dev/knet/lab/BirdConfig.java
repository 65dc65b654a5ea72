package dev.knet.lab;

import java.util.List;

/**
 * The bird2 configuration of one node in routed mode with BGP: an iBGP full mesh over the underlay
 * (one private AS for the whole cluster), each node announcing its podCIDR and installing the
 * others' into the kernel.
 *
 * <p>The podCIDR is announced from a static blackhole route that never reaches the kernel (the
 * kernel protocol exports only BGP routes): pods have their own /32 routes, and the announcement
 * must not depend on any pod existing. {@code next hop self} makes the peers route via our underlay
 * address; {@code gateway direct} lets them use it without an IGP, since all nodes share the /24.
 */
public final class BirdConfig {

    public static final int CLUSTER_AS = 64512;

    private BirdConfig() {
    }

    public static String render(LabNode self, String podCidr, List<LabNode> peers) {
        StringBuilder out = new StringBuilder();
        out.append("# knet lab node ").append(self.name()).append(": generated, do not edit\n");
        out.append("router id ").append(self.ip()).append(";\n\n");
        out.append("protocol device {\n  scan time 10;\n}\n\n");
        // the kernel scan puts back a learned route someone deleted (drift); the table is tiny
        out.append("protocol kernel {\n  scan time 5;\n  ipv4 {\n    import none;\n    export where source = RTS_BGP;\n"
                + "  };\n}\n\n");
        out.append("protocol static podcidr {\n  ipv4;\n  route ").append(podCidr).append(" blackhole;\n}\n\n");
        out.append("template bgp nodes {\n  local ").append(self.ip()).append(" as ").append(CLUSTER_AS).append(";\n");
        // the peers start one after another: retry soon instead of after the default two minutes
        // iBGP is multihop by default; the nodes share the underlay /24, so say so (direct gateways)
        out.append("  direct;\n");
        out.append("  connect delay time 1;\n  connect retry time 2;\n  error wait time 1, 10;\n");
        out.append("  ipv4 {\n    import all;\n    export where proto = \"podcidr\";\n    next hop self;\n"
                + "    gateway direct;\n  };\n}\n");
        for (LabNode peer : peers) {
            if (!peer.equals(self)) {
                out.append("\nprotocol bgp peer_n").append(peer.index()).append(" from nodes {\n  neighbor ")
                        .append(peer.ip()).append(" as ").append(CLUSTER_AS).append(";\n}\n");
            }
        }
        return out.toString();
    }
}
