package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;

import java.util.Locale;

/**
 * The pod network modes of the design. On the pod side they differ only in how the host end is
 * wired: {@code bridge} puts it on an L2 bridge; the others route to the pod over its own veth
 * (the node-to-node part, VXLAN or cloud routes, is the agent's business, not the plugin's).
 */
public enum KnetMode {
    BRIDGE, ROUTED, VXLAN, CLOUD;

    /** How the node side of the veth is attached. */
    public enum HostSide { BRIDGED, ROUTED }

    public HostSide hostSide() {
        return switch (this) {
            case BRIDGE -> HostSide.BRIDGED;
            case ROUTED, VXLAN, CLOUD -> HostSide.ROUTED;
        };
    }

    public static KnetMode parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CniException(CniError.of(CniError.INVALID_CONFIG, "unknown mode \"" + text
                    + "\" (bridge, routed, vxlan, cloud)", null), e);
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
