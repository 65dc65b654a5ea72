package dev.knet.dataplane.route;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.DataplaneException.Kind;
import dev.knet.dataplane.Faults;
import dev.knet.dataplane.link.FakeLinks;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes in memory with the checks the kernel makes and that plugins get wrong: the device must
 * exist and be up, a gateway must be reachable (inside a connected prefix or a link-scope route on
 * that device) unless {@code onlink}. Routes of a device that is deleted or set down disappear.
 * Connected routes are derived from addresses, as the kernel adds them.
 */
public final class FakeRoutes implements Routes {

    private final FakeLinks links;
    private final Faults faults;
    private final Map<String, Map<String, Route>> byNetns = new HashMap<>();

    public FakeRoutes(FakeLinks links, Faults faults) {
        this.links = links;
        this.faults = faults;
        links.onLinkGone((ns, dev) -> {
            synchronized (this) {
                Map<String, Route> table = byNetns.get(ns);
                if (table != null) {
                    table.values().removeIf(r -> dev.equals(r.dev()));
                }
            }
        });
    }

    @Override
    public synchronized void add(String netns, Route route) {
        faults.check("routes.add");
        validate(netns, route);
        Map<String, Route> table = table(netns);
        if (table.containsKey(route.dst()) || connected(netns).stream().anyMatch(r -> r.dst().equals(route.dst()))) {
            throw new DataplaneException(Kind.EXISTS, "route " + route.dst() + ": File exists");
        }
        table.put(route.dst(), route);
    }

    @Override
    public synchronized void replace(String netns, Route route) {
        faults.check("routes.replace");
        validate(netns, route);
        table(netns).put(route.dst(), route);
    }

    @Override
    public synchronized void delete(String netns, Route route) {
        faults.check("routes.delete");
        table(netns).remove(route.dst());
    }

    @Override
    public synchronized List<Route> list(String netns) {
        List<Route> all = new ArrayList<>(connected(netns));
        all.addAll(table(netns).values());
        return all;
    }

    private void validate(String netns, Route route) {
        if (route.dev() == null && route.gateway() == null) {
            throw new DataplaneException(Kind.INVALID, "route " + route.dst() + " needs a device or a gateway");
        }
        Link dev = null;
        if (route.dev() != null) {
            dev = links.find(netns, route.dev()).orElseThrow(
                    () -> new DataplaneException(Kind.NOT_FOUND, "Cannot find device \"" + route.dev() + "\""));
            if (!dev.up()) {
                throw new DataplaneException(Kind.OTHER, "Device for nexthop is not up: " + route.dev());
            }
        }
        if (route.gateway() != null && !route.onlink() && !reachable(netns, route.gateway(), route.dev())) {
            throw new DataplaneException(Kind.INVALID, "Nexthop has invalid gateway " + route.gateway());
        }
    }

    private boolean reachable(String netns, String gateway, String dev) {
        byte[] gw = IpAddresses.parse(gateway);
        List<Route> candidates = new ArrayList<>(connected(netns));
        candidates.addAll(table(netns).values().stream().filter(r -> r.gateway() == null).toList());
        return candidates.stream().anyMatch(r -> (dev == null || dev.equals(r.dev())) && r.prefix().contains(gw));
    }

    private List<Route> connected(String netns) {
        List<Route> out = new ArrayList<>();
        for (Link link : links.list(netns)) {
            if (!link.up()) {
                continue;
            }
            for (LinkAddress a : link.addresses()) {
                Cidr net = a.network();
                if (net.prefixLength() < net.bits()) {
                    out.add(Route.to(net.toString()).dev(link.name()).src(a.address()).scope(RouteScope.LINK));
                }
            }
        }
        return out;
    }

    private Map<String, Route> table(String netns) {
        links.list(netns); // NOT_FOUND for a missing namespace, as the kernel would say
        return byNetns.computeIfAbsent(netns, k -> new LinkedHashMap<>());
    }

    /** Forgets a namespace's table; FakeDataplane calls this when the namespace is deleted. */
    public synchronized void dropNamespace(String netns) {
        byNetns.remove(netns);
    }
}
