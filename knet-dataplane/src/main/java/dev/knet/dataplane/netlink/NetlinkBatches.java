package dev.knet.dataplane.netlink;

import dev.knet.dataplane.BatchOp;
import dev.knet.dataplane.Batches;
import dev.knet.dataplane.route.Route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Batches} as rtnetlink requests over one socket in the namespace: no process at all. As
 * with {@code ip -batch}, steps run in order and the first refusal is thrown with earlier steps
 * left applied (the caller's rollback undoes them).
 */
public final class NetlinkBatches implements Batches {

    @Override
    public void apply(String netns, List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        try (RtnlSocket socket = RtnlSocket.open(netns)) {
            Map<String, Integer> indexes = new HashMap<>();
            for (BatchOp op : ops) {
                socket.call(switch (op) {
                    case BatchOp.AddAddress(String dev, var address) ->
                            RtnlRequests.newAddress(index(socket, indexes, dev), dev, address, netns);
                    case BatchOp.SetUp(String dev) -> RtnlRequests.setUp(dev, netns);
                    case BatchOp.AddRoute(Route route) -> RtnlRequests.newRoute(route, oif(socket, indexes, route),
                            false, netns);
                    case BatchOp.ReplaceRoute(Route route) -> RtnlRequests.newRoute(route, oif(socket, indexes, route),
                            true, netns);
                });
            }
        }
    }

    private static int oif(RtnlSocket socket, Map<String, Integer> indexes, Route route) {
        return route.dev() == null ? 0 : index(socket, indexes, route.dev());
    }

    /** A device keeps its index for the life of the batch (nothing here renames or re-creates one). */
    private static int index(RtnlSocket socket, Map<String, Integer> indexes, String dev) {
        Integer known = indexes.get(dev);
        if (known == null) {
            known = socket.linkIndex(dev);
            indexes.put(dev, known);
        }
        return known;
    }
}
