package dev.knet.dataplane;

import dev.knet.dataplane.link.FakeLinks;
import dev.knet.dataplane.route.FakeRoutes;

import java.util.List;

/** Applies batch steps one by one to the fakes, stopping at the first failure like {@code ip -batch}. */
public final class FakeBatches implements Batches {

    private final FakeLinks links;
    private final FakeRoutes routes;
    private final Faults faults;

    public FakeBatches(FakeLinks links, FakeRoutes routes, Faults faults) {
        this.links = links;
        this.routes = routes;
        this.faults = faults;
    }

    @Override
    public void apply(String netns, List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return; // as IpBatches: no process, so nothing that could fail
        }
        faults.check("batch.apply");
        for (BatchOp op : ops) {
            switch (op) {
                case BatchOp.AddAddress(String dev, var address) -> links.addAddress(netns, dev, address);
                case BatchOp.SetUp(String dev) -> links.setUp(netns, dev);
                case BatchOp.AddRoute(var route) -> routes.add(netns, route);
                case BatchOp.ReplaceRoute(var route) -> routes.replace(netns, route);
            }
        }
    }
}
