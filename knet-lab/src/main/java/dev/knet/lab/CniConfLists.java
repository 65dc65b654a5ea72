package dev.knet.lab;

import dev.knet.cni.spec.CniJson;
import dev.knet.model.net.Cidr;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CNI network configuration list a node agent uses for every pod, per mode.
 *
 * <p>Bridge mode puts all pods on one L2 subnet: the cluster CIDR (10.244.0.0/16). Each node still
 * hands out addresses only from its own podCIDR (a /24 chosen by the control plane), so two nodes
 * never give out the same address, but every pod has the whole /16 on-link and reaches pods of other
 * nodes by ARP across the shared pod segment. The node's {@code knbr0} holds the first address of
 * its podCIDR with the /16 prefix and is the pods' default gateway; each node has its own gateway
 * address, so the segment never sees two owners of one IP.
 */
public final class CniConfLists {

    public static final String CNI_VERSION = "1.1.0";
    public static final String NETWORK_NAME = "knet";

    private CniConfLists() {
    }

    public static String forNode(LabNetwork network, LabNode node, String podCidr, String clusterCidr, Path ipamDir) {
        Map<String, Object> plugin = new LinkedHashMap<>();
        plugin.put("type", "knet");
        plugin.put("mode", network.mode().name().toLowerCase(java.util.Locale.ROOT));
        plugin.put("nodeNetns", network.names().node(node.name()));
        plugin.put("bridge", LabNames.POD_BRIDGE);
        plugin.put("mtu", network.podMtu());
        plugin.put("bigTcp", network.bigTcp());
        plugin.put("capabilities", Map.of("ips", true));
        plugin.put("ipam", ipam(network.mode(), podCidr, clusterCidr, ipamDir));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("cniVersion", CNI_VERSION);
        list.put("name", NETWORK_NAME);
        list.put("plugins", List.of(plugin));
        return CniJson.write(list);
    }

    /** The fallback IPAM when the runtime passes no address: host-local over the node's podCIDR. */
    static Map<String, Object> ipam(LabMode mode, String podCidr, String clusterCidr, Path dataDir) {
        Cidr own = Cidr.parse(podCidr);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        switch (mode) {
            case BRIDGE -> {
                ipam.put("subnet", clusterCidr);
                ipam.put("rangeStart", own.addressStringAt(2));
                ipam.put("rangeEnd", own.addressStringAt(own.size() - 2));
                ipam.put("gateway", bridgeGateway(podCidr));
            }
            case ROUTED, VXLAN, CLOUD -> {
                ipam.put("subnet", podCidr);
                // .0 is the VXLAN VTEP address; keep it out of every mode for one address plan
                ipam.put("rangeStart", own.addressStringAt(2));
            }
        }
        ipam.put("dataDir", dataDir.toString());
        return ipam;
    }

    /** Bridge mode: the node's knbr0 address and its pods' gateway, the podCIDR's first host. */
    public static String bridgeGateway(String podCidr) {
        return Cidr.parse(podCidr).addressStringAt(1);
    }
}
