package dev.knet.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.LinkAddress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bridge mode: puts each node's gateway address (first host of its podCIDR, with the cluster
 * CIDR's prefix length) on its {@code knbr0}, so the whole cluster CIDR is on-link on every node
 * and the pod segment carries ARP between nodes. See {@link CniConfLists} for the address plan.
 */
public final class BridgeGatewayController implements PodCidrReconciler {

    private final Dataplane dp;
    private final LabNames names;
    private final List<LabNode> nodes;
    private final int clusterPrefix;
    private final Map<String, NodeEntry> programmed = new HashMap<>();

    public BridgeGatewayController(Dataplane dp, LabNames names, List<LabNode> nodes, int clusterPrefix) {
        this.dp = dp;
        this.names = names;
        this.nodes = List.copyOf(nodes);
        this.clusterPrefix = clusterPrefix;
    }

    @Override
    public synchronized void reconcile(Map<String, String> podCidrs) {
        for (LabNode node : nodes) {
            String cidr = podCidrs.get(node.name());
            if (cidr == null) {
                continue;
            }
            String ns = names.node(node.name());
            NodeEntry want = new NodeEntry.DeviceAddress(LabNames.POD_BRIDGE,
                    LinkAddress.parse(CniConfLists.bridgeGateway(cidr) + "/" + clusterPrefix));
            NodeEntry had = programmed.get(ns);
            if (want.equals(had)) {
                continue;
            }
            if (had != null) {
                had.remove(dp, ns);
            }
            want.apply(dp, ns);
            programmed.put(ns, want);
        }
    }

    @Override
    public synchronized void forget() {
        programmed.clear();
    }
}
