package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.LinkNames;
import dev.knet.dataplane.link.Links;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.link.VxlanSpec;
import dev.knet.dataplane.netns.NetnsNames;

import java.util.List;
import java.util.Optional;

/**
 * {@link Links} with the per-pod operations (veth creation, up, address, delete) and the GSO limits
 * (BIG TCP, which iproute2 before 6.3 cannot set) sent as rtnetlink requests from this process;
 * everything else, reads included, goes to {@code fallback} (the iproute2 implementation), where a
 * process per call does not matter.
 */
public final class NetlinkLinks implements Links {

    private final Links fallback;

    public NetlinkLinks(Links fallback) {
        this.fallback = fallback;
    }

    @Override
    public void createVeth(String netns, VethSpec spec) {
        String peerPath = NetnsNames.path(spec.peerNetns());
        try (RtnlSocket socket = RtnlSocket.open(netns)) {
            int master = spec.master() == null ? 0 : socket.linkIndex(spec.master());
            Libc.Result peer = Libc.open(peerPath, Libc.O_RDONLY_CLOEXEC);
            if (peer.failed()) {
                throw new DataplaneException(DataplaneException.Kind.NOT_FOUND, "Cannot open network namespace \""
                        + spec.peerNetns() + "\": " + Errno.describe(peer.errno()));
            }
            try {
                newVeth(socket, spec, netns, master, (int) peer.value());
            } finally {
                Libc.close((int) peer.value());
            }
        }
    }

    private static void newVeth(RtnlSocket socket, VethSpec spec, String netns, int master, int peerFd) {
        try {
            socket.call(RtnlRequests.newVeth(spec, netns, master, peerFd));
        } catch (DataplaneException e) {
            if (spec.gsoMaxSize() == 0 || e.kind() != DataplaneException.Kind.INVALID) {
                throw e;
            }
            // a kernel before 5.19 refuses GSO sizes above 64 KiB: the pair works without BIG TCP
            socket.call(RtnlRequests.newVeth(spec.withGsoMaxSize(0), netns, master, peerFd));
        }
    }

    @Override
    public boolean appliesGsoMaxSize() {
        return true;
    }

    @Override
    public void setGsoMaxSize(String netns, String name, int bytes) {
        LinkNames.require(name);
        try (RtnlSocket socket = RtnlSocket.open(netns)) {
            socket.call(RtnlRequests.setGsoMaxSize(name, netns, bytes));
        }
    }

    @Override
    public void createBridge(String netns, String name) {
        fallback.createBridge(netns, name);
    }

    @Override
    public void createVxlan(String netns, VxlanSpec spec) {
        fallback.createVxlan(netns, spec);
    }

    @Override
    public void setUp(String netns, String name) {
        LinkNames.require(name);
        try (RtnlSocket socket = RtnlSocket.open(netns)) {
            socket.call(RtnlRequests.setUp(name, netns));
        }
    }

    @Override
    public void setDown(String netns, String name) {
        fallback.setDown(netns, name);
    }

    @Override
    public void setMtu(String netns, String name, int mtu) {
        fallback.setMtu(netns, name, mtu);
    }

    @Override
    public void setMaster(String netns, String name, String master) {
        fallback.setMaster(netns, name, master);
    }

    @Override
    public void addAddress(String netns, String name, LinkAddress address) {
        LinkNames.require(name);
        try (RtnlSocket socket = RtnlSocket.open(netns)) {
            socket.call(RtnlRequests.newAddress(socket.linkIndex(name), name, address, netns));
        }
    }

    @Override
    public void deleteAddress(String netns, String name, LinkAddress address) {
        fallback.deleteAddress(netns, name, address);
    }

    @Override
    public List<LinkAddress> addresses(String netns, String name) {
        return fallback.addresses(netns, name);
    }

    @Override
    public void moveToNetns(String netns, String name, String targetNetns) {
        fallback.moveToNetns(netns, name, targetNetns);
    }

    @Override
    public void rename(String netns, String name, String newName) {
        fallback.rename(netns, name, newName);
    }

    /** Idempotent like the iproute2 version: a missing link or namespace is success. */
    @Override
    public void delete(String netns, String name) {
        LinkNames.require(name);
        try (RtnlSocket socket = RtnlSocket.open(netns)) {
            socket.call(RtnlRequests.deleteLink(name, netns));
        } catch (DataplaneException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    @Override
    public List<Link> list(String netns) {
        return fallback.list(netns);
    }

    @Override
    public Optional<Link> find(String netns, String name) {
        return fallback.find(netns, name);
    }
}
