package dev.knet.dataplane.route;

import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.IpJson;
import dev.knet.dataplane.NetnsScope;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** {@link Routes} over {@code ip -n NS route}. */
public final class IpRoutes implements Routes {

    private final CommandRunner runner;

    public IpRoutes(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void add(String netns, Route route) {
        runner.run(NetnsScope.in(netns), argv("add", route));
    }

    @Override
    public void replace(String netns, Route route) {
        runner.run(NetnsScope.in(netns), argv("replace", route));
    }

    @Override
    public void delete(String netns, Route route) {
        try {
            runner.run(NetnsScope.in(netns), List.of("ip", "route", "del", route.dst()));
        } catch (DataplaneException e) {
            // "RTNETLINK answers: No such process" (ESRCH) is how the kernel says the route is not there
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    @Override
    public List<Route> list(String netns) {
        List<Route> routes = new ArrayList<>();
        for (String family : List.of("-4", "-6")) {
            String out = runner.run(NetnsScope.in(netns), List.of("ip", family, "-json", "route", "show")).stdout();
            routes.addAll(parse(out, family.equals("-4") ? "0.0.0.0/0" : "::/0"));
        }
        return routes;
    }

    static List<String> argv(String verb, Route r) {
        List<String> argv = new ArrayList<>(List.of("ip", "route", verb, r.dst()));
        if (r.gateway() != null) {
            argv.addAll(List.of("via", r.gateway()));
        }
        if (r.dev() != null) {
            argv.addAll(List.of("dev", r.dev()));
        }
        if (r.src() != null) {
            argv.addAll(List.of("src", r.src()));
        }
        if (r.scope() != RouteScope.GLOBAL) {
            argv.addAll(List.of("scope", r.scope().ipName()));
        }
        if (r.onlink()) {
            argv.add("onlink");
        }
        return argv;
    }

    /** {@code defaultDst} is what "default" means in this family's listing. */
    static List<Route> parse(String json, String defaultDst) {
        List<Route> routes = new ArrayList<>();
        for (JsonNode n : IpJson.array(json)) {
            boolean onlink = false;
            for (JsonNode f : n.path("flags")) {
                onlink |= f.asString().equals("onlink");
            }
            String dst = IpJson.text(n, "dst");
            if (dst == null || IpJson.text(n, "type") != null && !"unicast".equals(IpJson.text(n, "type"))) {
                continue;
            }
            if (dst.equals("default")) {
                dst = defaultDst;
            }
            routes.add(new Route(dst, IpJson.text(n, "gateway"), IpJson.text(n, "dev"), IpJson.text(n, "prefsrc"),
                    RouteScope.parse(IpJson.text(n, "scope")), onlink));
        }
        return routes;
    }
}
