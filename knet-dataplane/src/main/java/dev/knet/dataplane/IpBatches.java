package dev.knet.dataplane;

import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;

import java.util.ArrayList;
import java.util.List;

/** {@link Batches} as one {@code ip -n NS -batch -} process. */
public final class IpBatches implements Batches {

    private final CommandRunner runner;

    public IpBatches(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void apply(String netns, List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        StringBuilder script = new StringBuilder();
        ops.forEach(op -> script.append(line(op)).append('\n'));
        runner.run(NetnsScope.in(netns), List.of("ip", "-batch", "-"), script.toString());
    }

    static String line(BatchOp op) {
        return switch (op) {
            case BatchOp.AddAddress(String dev, var a) -> "addr add " + a.cidr() + " dev " + dev + " scope "
                    + a.scope().ipName();
            case BatchOp.SetUp(String dev) -> "link set dev " + dev + " up";
            case BatchOp.AddRoute(Route r) -> route("add", r);
            case BatchOp.ReplaceRoute(Route r) -> route("replace", r);
        };
    }

    private static String route(String verb, Route r) {
        List<String> words = new ArrayList<>(List.of("route", verb, r.dst()));
        if (r.gateway() != null) {
            words.addAll(List.of("via", r.gateway()));
        }
        if (r.dev() != null) {
            words.addAll(List.of("dev", r.dev()));
        }
        if (r.src() != null) {
            words.addAll(List.of("src", r.src()));
        }
        if (r.scope() != RouteScope.GLOBAL) {
            words.addAll(List.of("scope", r.scope().ipName()));
        }
        if (r.onlink()) {
            words.add("onlink");
        }
        return String.join(" ", words);
    }
}
