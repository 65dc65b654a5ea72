package dev.knet.dataplane.netlink;

import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.AdminState;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.route.Route;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The rtnetlink requests knet sends, encoded as iproute2 encodes the equivalent {@code ip}
 * commands (same flags, table, protocol and default scope), so the kernel state is the same
 * whichever implementation made it.
 */
final class RtnlRequests {

    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_NEWROUTE = 24;
    static final int IFF_UP = 0x1;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_GSO_MAX_SIZE = 41;
    static final int IFLA_GRO_MAX_SIZE = 58;
    static final int IFLA_GSO_IPV4_MAX_SIZE = 63;
    static final int IFLA_GRO_IPV4_MAX_SIZE = 64;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PREFSRC = 7;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3;
    static final int RTN_UNICAST = 1;
    static final int RTNH_F_ONLINK = 4;
    static final int SCOPE_UNIVERSE = 0;
    static final int SCOPE_LINK = 253;
    static final int SCOPE_HOST = 254;

    private RtnlRequests() {
    }

    static NlMessage getLink(String name, String netns) {
        return new NlMessage(RTM_GETLINK, 0, "find link " + name + " (in " + netns + ")")
                .ifinfo(0, 0, 0).attrString(IFLA_IFNAME, name);
    }

    /** {@code ip link set dev NAME up}. */
    static NlMessage setUp(String name, String netns) {
        return new NlMessage(RtnlSocket.RTM_NEWLINK, 0, "link set dev " + name + " up (in " + netns + ")")
                .ifinfo(0, IFF_UP, IFF_UP).attrString(IFLA_IFNAME, name);
    }

    /** {@code ip link set dev NAME gso_max_size N gro_max_size N gso_ipv4_max_size N gro_ipv4_max_size N}. */
    static NlMessage setGsoMaxSize(String name, String netns, int bytes) {
        NlMessage m = new NlMessage(RtnlSocket.RTM_NEWLINK, 0, "link set dev " + name + " gso_max_size " + bytes
                + " (in " + netns + ")").ifinfo(0, 0, 0).attrString(IFLA_IFNAME, name);
        bigTcp(m, bytes);
        return m;
    }

    /** {@code ip link del dev NAME}. */
    static NlMessage deleteLink(String name, String netns) {
        return new NlMessage(RTM_DELLINK, 0, "link del dev " + name + " (in " + netns + ")")
                .ifinfo(0, 0, 0).attrString(IFLA_IFNAME, name);
    }

    /**
     * The pair in one request, the peer placed into the namespace behind {@code peerNetnsFd};
     * {@code masterIndex} 0 means no master.
     */
    static NlMessage newVeth(VethSpec spec, String netns, int masterIndex, int peerNetnsFd) {
        int up = spec.state() == AdminState.UP ? IFF_UP : 0;
        NlMessage m = new NlMessage(RtnlSocket.RTM_NEWLINK, NlMessage.F_CREATE | NlMessage.F_EXCL,
                "link add " + spec.name() + " type veth peer " + spec.peerName() + " (in " + netns + ")")
                .ifinfo(0, up, up).attrString(IFLA_IFNAME, spec.name());
        linkAttrs(m, spec.mac(), spec.mtu());
        bigTcp(m, spec.gsoMaxSize());
        if (masterIndex > 0) {
            m.attrU32(IFLA_MASTER, masterIndex);
        }
        m.beginNest(IFLA_LINKINFO).attr(IFLA_INFO_KIND, "veth".getBytes(StandardCharsets.US_ASCII))
                .beginNest(IFLA_INFO_DATA).beginNest(VETH_INFO_PEER).ifinfo(0, 0, 0)
                .attrString(IFLA_IFNAME, spec.peerName());
        linkAttrs(m, spec.peerMac(), spec.mtu());
        bigTcp(m, spec.gsoMaxSize());
        return m.attrU32(IFLA_NET_NS_FD, peerNetnsFd).endNest().endNest().endNest();
    }

    /**
     * BIG TCP: the GSO and GRO limits, for IPv6 (the plain attributes) and IPv4 (kernel 6.3 on), as
     * {@code ip link ... gso_max_size N gro_max_size N gso_ipv4_max_size N gro_ipv4_max_size N} would set them.
     */
    private static void bigTcp(NlMessage m, int size) {
        if (size > 0) {
            m.attrU32(IFLA_GSO_MAX_SIZE, size).attrU32(IFLA_GRO_MAX_SIZE, size)
                    .attrU32(IFLA_GSO_IPV4_MAX_SIZE, size).attrU32(IFLA_GRO_IPV4_MAX_SIZE, size);
        }
    }

    /** {@code ip addr add CIDR dev (index) scope S}: IFA_LOCAL and IFA_ADDRESS both the address, no peer. */
    static NlMessage newAddress(int index, String dev, LinkAddress a, String netns) {
        byte[] address = bytes(a.address());
        return new NlMessage(RTM_NEWADDR, NlMessage.F_CREATE | NlMessage.F_EXCL,
                "addr add " + a.cidr() + " dev " + dev + " (in " + netns + ")")
                .ifaddr(family(address), a.prefixLength(), scope(a.scope()), index)
                .attr(IFA_LOCAL, address).attr(IFA_ADDRESS, address);
    }

    /** {@code ip route add|replace ...} in the main table; {@code oif} 0 lets the kernel pick the device. */
    static NlMessage newRoute(Route r, int oif, boolean replace, String netns) {
        String[] prefix = r.dst().split("/");
        byte[] dst = bytes(prefix[0]);
        int length = Integer.parseInt(prefix[1]);
        // ip's default for a route without a gateway is scope link; with one, universe
        int scope = switch (r.scope()) {
            case GLOBAL -> r.gateway() == null ? SCOPE_LINK : SCOPE_UNIVERSE;
            case LINK -> SCOPE_LINK;
            case HOST -> SCOPE_HOST;
        };
        int flags = NlMessage.F_CREATE | (replace ? NlMessage.F_REPLACE : NlMessage.F_EXCL);
        NlMessage m = new NlMessage(RTM_NEWROUTE, flags, "route " + (replace ? "replace " : "add ") + r.dst()
                + (r.gateway() == null ? "" : " via " + r.gateway()) + (r.dev() == null ? "" : " dev " + r.dev())
                + " (in " + netns + ")")
                .rtmsg(family(dst), length, RT_TABLE_MAIN, RTPROT_BOOT, scope, RTN_UNICAST,
                        r.onlink() ? RTNH_F_ONLINK : 0);
        if (length > 0) {
            m.attr(RTA_DST, dst);
        }
        if (r.gateway() != null) {
            m.attr(RTA_GATEWAY, bytes(r.gateway()));
        }
        if (oif > 0) {
            m.attrU32(RTA_OIF, oif);
        }
        if (r.src() != null) {
            m.attr(RTA_PREFSRC, bytes(r.src()));
        }
        return m;
    }

    private static void linkAttrs(NlMessage m, String mac, int mtu) {
        if (mac != null) {
            m.attr(IFLA_ADDRESS, mac(mac));
        }
        if (mtu > 0) {
            m.attrU32(IFLA_MTU, mtu);
        }
    }

    static int scope(AddressScope scope) {
        return switch (scope) {
            case GLOBAL -> SCOPE_UNIVERSE;
            case LINK -> SCOPE_LINK;
            case HOST -> SCOPE_HOST;
        };
    }

    static byte[] mac(String mac) {
        String[] parts = mac.split(":");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /** A literal address's bytes; never a name lookup. */
    static byte[] bytes(String literal) {
        return InetAddress.ofLiteral(literal).getAddress();
    }

    private static int family(byte[] address) {
        return address.length == 4 ? AF_INET : AF_INET6;
    }
}
