package dev.knet.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.FdbEntry;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Neighbour;
import dev.knet.dataplane.route.Route;
import dev.knet.model.net.Cidr;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node-to-node pod routing of the routed and vxlan modes, from the Node objects' podCIDRs.
 *
 * <ul>
 *   <li>routed: on each node, {@code <other podCIDR> via <other node IP> dev eth0} (host-gw).</li>
 *   <li>vxlan (flannel's scheme): each node's {@code knvx0} holds its VTEP address, the podCIDR's
 *       network address /32. Per remote node: {@code <podCIDR> via <remote VTEP> dev knvx0 onlink},
 *       a permanent neighbour {@code <remote VTEP> lladdr <remote knvx0 MAC>} and an FDB entry
 *       {@code <remote MAC> dst <remote node IP>}. With learning off and no flood entries, the
 *       kernel never broadcasts over the overlay: every lookup is answered by what we programmed.</li>
 * </ul>
 * The remote device MAC is read from the remote node namespace: the lab owns every node, so it
 * needs no annotation on the Node object (flannel publishes it as one).
 */
public final class NodeRouteController implements PodCidrReconciler {

    private final Dataplane dp;
    private final LabNames names;
    private final LabMode mode;
    private final List<LabNode> nodes;
    private final Map<String, String> vxlanMacs = new HashMap<>();
    private final Map<String, Set<NodeEntry>> programmed = new HashMap<>();

    public NodeRouteController(Dataplane dp, LabNames names, LabMode mode, List<LabNode> nodes) {
        if (mode != LabMode.ROUTED && mode != LabMode.VXLAN) {
            throw new IllegalArgumentException("node routes are for routed and vxlan mode, not " + mode);
        }
        this.dp = dp;
        this.names = names;
        this.mode = mode;
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public synchronized void reconcile(Map<String, String> podCidrs) {
        for (LabNode node : nodes) {
            String ns = names.node(node.name());
            Set<NodeEntry> desired = desired(node, podCidrs);
            Set<NodeEntry> before = programmed.getOrDefault(ns, Set.of());
            for (NodeEntry stale : before) {
                if (!desired.contains(stale)) {
                    stale.remove(dp, ns);
                }
            }
            for (NodeEntry entry : desired) {
                if (!before.contains(entry)) {
                    entry.apply(dp, ns);
                }
            }
            programmed.put(ns, desired);
        }
    }

    /** What {@code node} should hold, ordered so the VTEP address comes before routes that use it. */
    Set<NodeEntry> desired(LabNode node, Map<String, String> podCidrs) {
        Set<NodeEntry> out = new LinkedHashSet<>();
        String own = podCidrs.get(node.name());
        if (mode == LabMode.VXLAN && own != null) {
            out.add(new NodeEntry.DeviceAddress(LabNames.VXLAN_DEVICE, LinkAddress.parse(vtep(own) + "/32")));
        }
        for (LabNode peer : nodes) {
            String cidr = podCidrs.get(peer.name());
            if (peer.equals(node) || cidr == null) {
                continue;
            }
            switch (mode) {
                case ROUTED -> out.add(new NodeEntry.RouteTo(Route.to(cidr).via(peer.ip()).dev(LabNames.NODE_NIC)));
                case VXLAN -> {
                    String vtep = vtep(cidr);
                    String mac = vxlanMac(peer);
                    out.add(new NodeEntry.Neigh(new Neighbour(vtep, mac, LabNames.VXLAN_DEVICE)));
                    out.add(new NodeEntry.Forward(new FdbEntry(mac, LabNames.VXLAN_DEVICE, peer.ip())));
                    out.add(new NodeEntry.RouteTo(Route.to(cidr).via(vtep).dev(LabNames.VXLAN_DEVICE).asOnlink()));
                }
                case BRIDGE, CLOUD -> throw new IllegalStateException("unreachable: checked in the constructor");
            }
        }
        return out;
    }

    /** A node's VTEP address: the network address of its podCIDR, which IPAM never hands to a pod. */
    static String vtep(String podCidr) {
        return Cidr.parse(podCidr).addressStringAt(0);
    }

    private String vxlanMac(LabNode node) {
        return vxlanMacs.computeIfAbsent(node.name(), n -> dp.links().find(names.node(n), LabNames.VXLAN_DEVICE)
                .orElseThrow(() -> new IllegalStateException("node " + n + " has no " + LabNames.VXLAN_DEVICE))
                .mac());
    }

    @Override
    public synchronized void forget() {
        programmed.clear();
    }
}
