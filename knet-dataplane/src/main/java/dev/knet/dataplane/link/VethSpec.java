package dev.knet.dataplane.link;

import dev.knet.dataplane.netns.NetnsNames;

/**
 * A veth pair created in one namespace with its peer placed straight into {@code peerNetns} (one
 * netlink request, so no half-moved pair is ever visible). {@code mtu} 0 keeps the kernel default.
 */
public record VethSpec(String name, String peerName, String peerNetns, int mtu) {

    public VethSpec {
        LinkNames.require(name);
        LinkNames.require(peerName);
        NetnsNames.requireKnet(peerNetns);
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu must not be negative");
        }
    }
}
