package dev.knet.dataplane;

import dev.knet.dataplane.link.BridgeFdb;
import dev.knet.dataplane.link.Fdb;
import dev.knet.dataplane.link.IpLinks;
import dev.knet.dataplane.link.Links;
import dev.knet.dataplane.netlink.InProcessNetnsManager;
import dev.knet.dataplane.netlink.NetlinkBatches;
import dev.knet.dataplane.netlink.NetlinkLinks;
import dev.knet.dataplane.netns.IpNetnsManager;
import dev.knet.dataplane.netns.NetnsManager;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.dataplane.route.IpNeighbours;
import dev.knet.dataplane.route.IpRoutes;
import dev.knet.dataplane.route.Neighbours;
import dev.knet.dataplane.route.Routes;

import java.util.function.Function;

/**
 * The set of dataplane seams that control logic receives: real ones, or {@link FakeDataplane}'s.
 * {@code nftables} opens a namespace's nftables handle; its caller closes it.
 */
public record Dataplane(NetnsManager netns, Links links, Routes routes, Neighbours neighbours, Fdb fdb,
                        Sysctls sysctls, Batches batches, Function<String, Nftables> nftables) {

    /** Environment variable choosing {@link #real()}'s implementation: {@code iproute2} or unset. */
    public static final String MODE_ENV = "KNET_DATAPLANE";

    /** The dataplane with every operation an iproute2 process run through {@code runner}. */
    public static Dataplane real(CommandRunner runner) {
        return new Dataplane(new IpNetnsManager(runner), new IpLinks(runner), new IpRoutes(runner),
                new IpNeighbours(runner), new BridgeFdb(runner), new NetnsSysctls(runner), new IpBatches(runner),
                Nftables::inNamespace);
    }

    /**
     * The kernel dataplane as the agent uses it: what a pod sandbox needs (namespace create/delete,
     * veth, up, addresses, routes in batches) done in this process over syscalls and rtnetlink, no
     * process per pod; the rest (reads, bridges, VXLAN, FDB, neighbours, sysctls) through iproute2.
     * {@value #MODE_ENV}={@code iproute2} selects the all-iproute2 dataplane instead (to compare the
     * two on a running lab, or to step around a kernel that refuses one of the requests).
     */
    public static Dataplane real() {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        return iproute2Only() ? real(runner) : inProcess(runner);
    }

    /** Whether {@value #MODE_ENV} asks for the all-iproute2 dataplane. */
    public static boolean iproute2Only() {
        return "iproute2".equals(System.getenv(MODE_ENV));
    }

    /** This dataplane with {@code other} links. */
    public Dataplane withLinks(Links other) {
        return new Dataplane(netns, other, routes, neighbours, fdb, sysctls, batches, nftables);
    }

    /** {@link #real()} with {@code runner} for the steps that stay iproute2 processes. */
    public static Dataplane inProcess(CommandRunner runner) {
        Dataplane ip = real(runner);
        return new Dataplane(new InProcessNetnsManager(ip.netns()), new NetlinkLinks(ip.links()), ip.routes(),
                ip.neighbours(), ip.fdb(), ip.sysctls(), new NetlinkBatches(), ip.nftables());
    }
}
