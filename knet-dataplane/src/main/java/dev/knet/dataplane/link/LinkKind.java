package dev.knet.dataplane.link;

/** The device types knet creates or meets; the kernel's "info_kind" maps onto these. */
public enum LinkKind {
    VETH, BRIDGE, VXLAN, LOOPBACK, DUMMY, OTHER;

    static LinkKind fromInfoKind(String kind, String name) {
        if (kind == null) {
            return "lo".equals(name) ? LOOPBACK : OTHER;
        }
        return switch (kind) {
            case "veth" -> VETH;
            case "bridge" -> BRIDGE;
            case "vxlan" -> VXLAN;
            case "dummy" -> DUMMY;
            default -> OTHER;
        };
    }
}
