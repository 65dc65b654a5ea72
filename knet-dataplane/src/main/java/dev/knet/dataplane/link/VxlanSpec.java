package dev.knet.dataplane.link;

/**
 * A VXLAN device with learning off: knet programs the FDB and neighbours itself (flannel's design),
 * so the kernel must not learn stale entries. {@code device} may be null; {@code mtu} 0 is default.
 */
public record VxlanSpec(String name, int vni, String local, int dstPort, String device, int mtu) {

    public VxlanSpec {
        LinkNames.require(name);
        if (vni < 0 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("VNI " + vni + " out of range");
        }
        if (dstPort <= 0 || dstPort > 65535) {
            throw new IllegalArgumentException("port " + dstPort + " out of range");
        }
    }
}
