package dev.knet.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.AdminState;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.link.VxlanSpec;
import dev.knet.dataplane.route.Route;

import java.util.List;

/**
 * The lab's static topology: an underlay namespace whose bridge {@code ul0} is the "physical
 * switch", one namespace per node with {@code eth0} on it, and an external host. Mode-specific
 * devices that do not depend on pod CIDRs are created here too; everything that does (routes,
 * VTEP addresses, FDB entries) is the job of {@link NodeRouteController} and
 * {@link CloudRouteController}, which follow the Node objects.
 *
 * <p>No namespace gets a default route: the node namespaces only know the underlay /24 (plus pod
 * routes), the external host only the underlay /24, so nothing can leak out of the lab.
 */
public final class LabNetwork {

    public static final String ROUTER_IP = "198.18.0.1";
    public static final String EXTERNAL_IP = "198.18.0.2";
    public static final int UNDERLAY_PREFIX = 24;
    public static final int UNDERLAY_MTU = 1500;
    /** VXLAN over IPv4 costs 50 bytes: outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
    public static final int VXLAN_OVERHEAD = 50;
    public static final int VNI = 1;
    public static final int VXLAN_PORT = 4789;

    private final Dataplane dp;
    private final LabNames names;
    private final LabMode mode;
    private final List<LabNode> nodes;
    private final List<String> clusterCidrs;

    /** {@code clusterCidrs}: the pod prefixes cloud-mode nodes send to the VPC router. */
    public LabNetwork(Dataplane dp, LabNames names, LabMode mode, List<LabNode> nodes, List<String> clusterCidrs) {
        this.dp = dp;
        this.clusterCidrs = List.copyOf(clusterCidrs);
        this.names = names;
        this.mode = mode;
        this.nodes = List.copyOf(nodes);
    }

    public LabNames names() {
        return names;
    }

    public LabMode mode() {
        return mode;
    }

    public List<LabNode> nodes() {
        return nodes;
    }

    /** The MTU pods (and the CNI plugin's veths) get in this mode. */
    public int podMtu() {
        return switch (mode) {
            case VXLAN -> UNDERLAY_MTU - VXLAN_OVERHEAD;
            case BRIDGE, ROUTED, CLOUD -> UNDERLAY_MTU;
        };
    }

    /**
     * Creates every namespace (the namespace manager brings its lo up) and device. On failure the
     * caller removes the lab with {@link LabCleanup}: deleting the namespaces undoes everything.
     */
    public void build() {
        buildUnderlay();
        for (LabNode node : nodes) {
            buildNode(node);
        }
        buildExternal();
    }

    private void buildUnderlay() {
        String ul = names.underlay();
        dp.netns().create(ul);
        dp.links().createBridge(ul, LabNames.UNDERLAY_BRIDGE);
        dp.links().setUp(ul, LabNames.UNDERLAY_BRIDGE);
        switch (mode) {
            case CLOUD -> {
                // the VPC router: it owns the nodes' next hop and forwards between podCIDRs
                dp.links().addAddress(ul, LabNames.UNDERLAY_BRIDGE, underlayAddress(ROUTER_IP));
                dp.sysctls().set(ul, "net.ipv4.ip_forward", "1");
            }
            case BRIDGE -> {
                dp.links().createBridge(ul, LabNames.POD_SEGMENT);
                dp.links().setUp(ul, LabNames.POD_SEGMENT);
            }
            case ROUTED, VXLAN -> {
            }
        }
    }

    private void buildNode(LabNode node) {
        String ns = names.node(node.name());
        dp.netns().create(ns);
        dp.sysctls().set(ns, "net.ipv4.ip_forward", "1");
        plugIn(names.underlay(), LabNames.underlayPort(node), LabNames.UNDERLAY_BRIDGE, ns);
        dp.links().addAddress(ns, LabNames.NODE_NIC, underlayAddress(node.ip()));
        switch (mode) {
            case BRIDGE -> {
                dp.links().createBridge(ns, LabNames.POD_BRIDGE);
                dp.links().setUp(ns, LabNames.POD_BRIDGE);
                dp.links().createVeth(names.underlay(), new VethSpec(LabNames.segmentPort(node), LabNames.POD_UPLINK,
                        ns, UNDERLAY_MTU).withMaster(LabNames.POD_SEGMENT).withState(AdminState.UP));
                dp.links().setMaster(ns, LabNames.POD_UPLINK, LabNames.POD_BRIDGE);
                dp.links().setUp(ns, LabNames.POD_UPLINK);
            }
            case VXLAN -> {
                dp.links().createVxlan(ns, new VxlanSpec(LabNames.VXLAN_DEVICE, VNI, node.ip(), VXLAN_PORT,
                        LabNames.NODE_NIC, podMtu()));
                dp.links().setUp(ns, LabNames.VXLAN_DEVICE);
            }
            case CLOUD -> {
                // one aggregate route: local pods have /32 routes, which are more specific
                for (String cidr : clusterCidrs) {
                    dp.routes().replace(ns, Route.to(cidr).via(ROUTER_IP).dev(LabNames.NODE_NIC));
                }
            }
            case ROUTED -> {
            }
        }
    }

    private void buildExternal() {
        String ext = names.external();
        dp.netns().create(ext);
        plugIn(names.underlay(), LabNames.EXTERNAL_PORT, LabNames.UNDERLAY_BRIDGE, ext);
        dp.links().addAddress(ext, LabNames.NODE_NIC, underlayAddress(EXTERNAL_IP));
    }

    /** A veth from the underlay switch into {@code target}, where it is called eth0. */
    private void plugIn(String underlay, String port, String bridge, String target) {
        dp.links().createVeth(underlay, new VethSpec(port, LabNames.NODE_NIC, target, UNDERLAY_MTU)
                .withMaster(bridge).withState(AdminState.UP));
        dp.links().setUp(target, LabNames.NODE_NIC);
    }

    private static LinkAddress underlayAddress(String ip) {
        return LinkAddress.parse(ip + "/" + UNDERLAY_PREFIX);
    }
}
