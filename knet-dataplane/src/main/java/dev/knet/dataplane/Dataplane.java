package dev.knet.dataplane;

import dev.knet.dataplane.link.BridgeFdb;
import dev.knet.dataplane.link.Fdb;
import dev.knet.dataplane.link.IpLinks;
import dev.knet.dataplane.link.Links;
import dev.knet.dataplane.netns.IpNetnsManager;
import dev.knet.dataplane.netns.NetnsManager;
import dev.knet.dataplane.route.IpNeighbours;
import dev.knet.dataplane.route.IpRoutes;
import dev.knet.dataplane.route.Neighbours;
import dev.knet.dataplane.route.Routes;

/** The set of dataplane seams that control logic receives: real ones, or {@link FakeDataplane}'s. */
public record Dataplane(NetnsManager netns, Links links, Routes routes, Neighbours neighbours, Fdb fdb,
                        Sysctls sysctls, Batches batches) {

    /** The iproute2-backed dataplane. */
    public static Dataplane real(CommandRunner runner) {
        return new Dataplane(new IpNetnsManager(runner), new IpLinks(runner), new IpRoutes(runner),
                new IpNeighbours(runner), new BridgeFdb(runner), new NetnsSysctls(runner), new IpBatches(runner));
    }

    public static Dataplane real() {
        return real(new ProcessCommandRunner());
    }
}
