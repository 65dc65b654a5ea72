package dev.knet.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.AdminState;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.link.VxlanSpec;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.dataplane.route.Route;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab's static topology: an underlay namespace whose bridge {@code ul0} is the "physical
 * switch", one namespace per node with {@code eth0} on it, and an external host. Mode-specific
 * devices that do not depend on pod CIDRs are created here too; everything that does (routes,
 * VTEP addresses, FDB entries) is the job of {@link NodeRouteController} and
 * {@link CloudRouteController}, which follow the Node objects.
 *
 * <p>{@link #build} is idempotent: over namespaces an earlier run left (a restarted daemon adopting
 * its lab) it only puts back what is missing, and leaves what is there, pods' veths included,
 * untouched. Each namespace is read once; one that had to be created is known to be empty.
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
    /** Per namespace touched by the current build: its links as found (empty for a new namespace). */
    private final Map<String, Map<String, Link>> found = new HashMap<>();
    private Set<String> existingNamespaces = Set.of();

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
     * Creates every namespace (the namespace manager brings its lo up) and device that is missing.
     * On failure the caller removes the lab with {@link LabCleanup}: deleting the namespaces undoes
     * everything.
     */
    public synchronized void build() {
        found.clear();
        existingNamespaces = new HashSet<>(dp.netns().list());
        buildUnderlay();
        for (LabNode node : nodes) {
            buildNode(node);
        }
        buildExternal();
        if (mode == LabMode.CLOUD && bigTcp()) {
            // the VPC router sends pod traffic out of the switch's own device: it must take BIG TCP packets too
            // (a bridge takes at most what its ports take, so this waits for them)
            dp.links().setGsoMaxSize(names.underlay(), LabNames.UNDERLAY_BRIDGE, VethSpec.BIG_TCP);
        }
        found.clear();
    }

    private void buildUnderlay() {
        String ul = names.underlay();
        ensureNamespace(ul);
        ensureBridge(ul, LabNames.UNDERLAY_BRIDGE);
        switch (mode) {
            case CLOUD -> {
                // the VPC router: it owns the nodes' next hop and forwards between podCIDRs
                ensureAddress(ul, LabNames.UNDERLAY_BRIDGE, underlayAddress(ROUTER_IP));
                dp.sysctls().set(ul, "net.ipv4.ip_forward", "1");
            }
            case BRIDGE -> ensureBridge(ul, LabNames.POD_SEGMENT);
            case ROUTED, VXLAN -> {
            }
        }
        UnderlaySysctls.apply(dp.sysctls(), ul);
    }

    private void buildNode(LabNode node) {
        String ns = names.node(node.name());
        ensureNamespace(ns);
        dp.sysctls().set(ns, "net.ipv4.ip_forward", "1");
        plugIn(LabNames.underlayPort(node), LabNames.UNDERLAY_BRIDGE, ns, LabNames.NODE_NIC);
        ensureAddress(ns, LabNames.NODE_NIC, underlayAddress(node.ip()));
        switch (mode) {
            case BRIDGE -> {
                ensureBridge(ns, LabNames.POD_BRIDGE);
                plugIn(LabNames.segmentPort(node), LabNames.POD_SEGMENT, ns, LabNames.POD_UPLINK);
                Link uplink = link(ns, LabNames.POD_UPLINK);
                if (uplink == null || !LabNames.POD_BRIDGE.equals(uplink.master())) {
                    dp.links().setMaster(ns, LabNames.POD_UPLINK, LabNames.POD_BRIDGE);
                }
            }
            case VXLAN -> {
                if (link(ns, LabNames.VXLAN_DEVICE) == null) {
                    dp.links().createVxlan(ns, new VxlanSpec(LabNames.VXLAN_DEVICE, VNI, node.ip(), VXLAN_PORT,
                            LabNames.NODE_NIC, podMtu()));
                }
                ensureUp(ns, LabNames.VXLAN_DEVICE);
                try (Nftables nft = dp.nftables().apply(ns)) {
                    TunnelNotrack.apply(nft, ns, node.ip(), VXLAN_PORT);
                }
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
        ensureNamespace(ext);
        plugIn(LabNames.EXTERNAL_PORT, LabNames.UNDERLAY_BRIDGE, ext, LabNames.NODE_NIC);
        ensureAddress(ext, LabNames.NODE_NIC, underlayAddress(EXTERNAL_IP));
    }

    /**
     * A veth from the underlay's {@code bridge} into {@code target}, where it is called {@code nic}.
     * A half that lost its peer cannot exist (the kernel deletes both ends), so a missing target end
     * means the pair is gone; a stale underlay end of the same name is removed first all the same.
     */
    private void plugIn(String port, String bridge, String target, String nic) {
        String ul = names.underlay();
        if (link(target, nic) == null) {
            if (link(ul, port) != null) {
                dp.links().delete(ul, port);
            }
            dp.links().createVeth(ul, new VethSpec(port, nic, target, UNDERLAY_MTU)
                    .withMaster(bridge).withState(AdminState.UP).withGsoMaxSize(underlayGsoMaxSize()));
            dp.links().setUp(target, nic);
            return;
        }
        Link ulEnd = link(ul, port);
        if (ulEnd != null && !bridge.equals(ulEnd.master())) {
            dp.links().setMaster(ul, port, bridge);
        }
        ensureUp(ul, port);
        ensureUp(target, nic);
        if (bigTcp()) {
            // a lab made before BIG TCP, adopted now: its pods will get BIG TCP, so the underlay must take it
            dp.links().setGsoMaxSize(ul, port, VethSpec.BIG_TCP);
            dp.links().setGsoMaxSize(target, nic, VethSpec.BIG_TCP);
        }
    }

    /**
     * Whether pods get BIG TCP (the plugin's {@code bigTcp}): only where the underlay has it too, since a hop
     * without it would cut every 192 KiB packet into MTU-sized ones in software. Not in vxlan mode, whose
     * VXLAN devices carry 64 KiB at most; not when the dataplane cannot set it (iproute2 before 6.3).
     */
    public boolean bigTcp() {
        return mode != LabMode.VXLAN && dp.links().appliesGsoMaxSize();
    }

    private int underlayGsoMaxSize() {
        return bigTcp() ? VethSpec.BIG_TCP : 0;
    }

    private void ensureNamespace(String ns) {
        if (existingNamespaces.contains(ns)) {
            Map<String, Link> links = new HashMap<>();
            dp.links().list(ns).forEach(l -> links.put(l.name(), l));
            found.put(ns, links);
        } else {
            dp.netns().create(ns);
            found.put(ns, Map.of());
        }
    }

    private void ensureBridge(String ns, String name) {
        if (link(ns, name) == null) {
            dp.links().createBridge(ns, name);
        }
        ensureUp(ns, name);
    }

    private void ensureUp(String ns, String name) {
        Link l = link(ns, name);
        if (l == null || !l.up()) {
            dp.links().setUp(ns, name);
        }
    }

    private void ensureAddress(String ns, String dev, LinkAddress address) {
        Link l = link(ns, dev);
        if (l == null || !l.hasAddress(address)) {
            dp.links().addAddress(ns, dev, address);
        }
    }

    /** The link as found at the start of this build, or null when it was missing (or created since). */
    private Link link(String ns, String name) {
        return found.getOrDefault(ns, Map.of()).get(name);
    }

    private static LinkAddress underlayAddress(String ip) {
        return LinkAddress.parse(ip + "/" + UNDERLAY_PREFIX);
    }
}
