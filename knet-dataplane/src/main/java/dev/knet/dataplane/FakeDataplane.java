package dev.knet.dataplane;

import dev.knet.dataplane.link.FakeFdb;
import dev.knet.dataplane.link.FakeLinks;
import dev.knet.dataplane.netns.FakeNetns;
import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.dataplane.route.FakeNeighbours;
import dev.knet.dataplane.route.FakeRoutes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The stateful fakes wired together the way the kernel ties the real objects together. */
public final class FakeDataplane {

    private final Faults faults = new Faults();
    private final FakeNetns netns = new FakeNetns(faults);
    private final FakeLinks links = new FakeLinks(netns, faults);
    private final FakeRoutes routes = new FakeRoutes(links, faults);
    private final FakeNeighbours neighbours = new FakeNeighbours(links, faults);
    private final FakeFdb fdb = new FakeFdb(links, faults);
    private final FakeSysctls sysctls = new FakeSysctls(netns, faults);
    private final FakeBatches batches = new FakeBatches(links, routes, faults);
    /** Per namespace, its tables: they go with the namespace, as the kernel's do. */
    private final Map<String, FakeNftables> nftables = new ConcurrentHashMap<>();

    public FakeDataplane() {
        netns.onDelete(routes::dropNamespace);
        netns.onDelete(nftables::remove);
    }

    public Dataplane dataplane() {
        return new Dataplane(netns, links, routes, neighbours, fdb, sysctls, batches, this::nftables);
    }

    /** The nftables of namespace {@code ns} (empty until something writes to it). */
    public FakeNftables nftables(String ns) {
        return nftables.computeIfAbsent(ns, n -> new FakeNftables());
    }

    public Faults faults() {
        return faults;
    }

    public FakeNetns netns() {
        return netns;
    }

    public FakeLinks links() {
        return links;
    }

    public FakeRoutes routes() {
        return routes;
    }

    public FakeNeighbours neighbours() {
        return neighbours;
    }

    public FakeFdb fdb() {
        return fdb;
    }

    public FakeSysctls sysctls() {
        return sysctls;
    }
}
