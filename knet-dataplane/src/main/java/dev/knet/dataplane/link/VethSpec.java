package dev.knet.dataplane.link;

import dev.knet.dataplane.netns.NetnsNames;

import java.util.regex.Pattern;

/**
 * A veth pair created in one namespace with its peer placed straight into {@code peerNetns}, in one
 * netlink request, so no half-moved pair is ever visible. The local end can get its MAC, bridge
 * master and up state in that same request; the peer its MAC. {@code mtu} 0 keeps the kernel
 * default, null MACs let the kernel choose, a null master means none. {@code gsoMaxSize} above 64 KiB
 * turns on BIG TCP for both ends (the largest packet TCP may hand down, and GRO may build, in bytes); 0
 * keeps the kernel default of 64 KiB.
 */
public record VethSpec(String name, String peerName, String peerNetns, int mtu, String mac, String peerMac,
                       String master, AdminState state, int gsoMaxSize) {

    /** BIG TCP's packet size, as Cilium sets it: three times the 64 KiB of IPv4's length field. */
    public static final int BIG_TCP = 196_608;
    private static final int KERNEL_GSO_LIMIT = 524_280;

    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    public VethSpec {
        LinkNames.require(name);
        LinkNames.require(peerName);
        NetnsNames.requireKnet(peerNetns);
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu must not be negative");
        }
        for (String m : new String[] {mac, peerMac}) {
            if (m != null && !MAC.matcher(m).matches()) {
                throw new IllegalArgumentException("invalid MAC " + m);
            }
        }
        if (master != null) {
            LinkNames.require(master);
        }
        if (state == null) {
            state = AdminState.DOWN;
        }
        if (gsoMaxSize != 0 && (gsoMaxSize < 65_536 || gsoMaxSize > KERNEL_GSO_LIMIT)) {
            throw new IllegalArgumentException("gsoMaxSize must be 0 or 65536.." + KERNEL_GSO_LIMIT + ", got " + gsoMaxSize);
        }
    }

    public VethSpec(String name, String peerName, String peerNetns, int mtu) {
        this(name, peerName, peerNetns, mtu, null, null, null, AdminState.DOWN, 0);
    }

    public VethSpec withMacs(String localMac, String remoteMac) {
        return new VethSpec(name, peerName, peerNetns, mtu, localMac, remoteMac, master, state, gsoMaxSize);
    }

    public VethSpec withMaster(String bridge) {
        return new VethSpec(name, peerName, peerNetns, mtu, mac, peerMac, bridge, state, gsoMaxSize);
    }

    public VethSpec withState(AdminState newState) {
        return new VethSpec(name, peerName, peerNetns, mtu, mac, peerMac, master, newState, gsoMaxSize);
    }

    public VethSpec withGsoMaxSize(int bytes) {
        return new VethSpec(name, peerName, peerNetns, mtu, mac, peerMac, master, state, bytes);
    }
}
