package dev.knet.lab;

import dev.knet.dataplane.netns.NetnsNames;

/** Namespace and interface names of one lab; every namespace is {@code knet-<cluster>-...}. */
public record LabNames(String cluster) {

    /** The underlay's "physical switch" bridge (also the VPC router's interface in cloud mode). */
    public static final String UNDERLAY_BRIDGE = "ul0";
    /** The shared L2 pod segment of bridge mode, in the underlay namespace. */
    public static final String POD_SEGMENT = "podseg0";
    /** The node's pod bridge in bridge mode; the CNI plugin attaches pods to it. */
    public static final String POD_BRIDGE = "knbr0";
    /** The node's uplink into the pod segment in bridge mode. */
    public static final String POD_UPLINK = "podseg";
    public static final String VXLAN_DEVICE = "knvx0";
    public static final String NODE_NIC = "eth0";

    public LabNames {
        NetnsNames.requireKnet(prefix(cluster) + "x");
    }

    private static String prefix(String cluster) {
        return NetnsNames.PREFIX + cluster + "-";
    }

    /** Every namespace of this lab (pods' included) starts with this. */
    public String prefix() {
        return prefix(cluster);
    }

    public String underlay() {
        return prefix() + "underlay";
    }

    public String external() {
        return prefix() + "ext";
    }

    public String node(String nodeName) {
        return prefix() + nodeName;
    }

    /** The underlay end of a node's eth0 veth. */
    static String underlayPort(LabNode node) {
        return "ul-n" + node.index();
    }

    /** The underlay end of a node's pod-segment veth (bridge mode). */
    static String segmentPort(LabNode node) {
        return "ps-n" + node.index();
    }

    static final String EXTERNAL_PORT = "ul-ext";
}
