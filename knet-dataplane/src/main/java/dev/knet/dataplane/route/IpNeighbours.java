package dev.knet.dataplane.route;

import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.IpJson;
import dev.knet.dataplane.NetnsScope;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** {@link Neighbours} over {@code ip -n NS neigh}. */
public final class IpNeighbours implements Neighbours {

    private final CommandRunner runner;

    public IpNeighbours(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void replacePermanent(String netns, Neighbour n) {
        runner.run(NetnsScope.in(netns), List.of("ip", "neigh", "replace", n.ip(), "lladdr", n.mac(), "dev", n.dev(),
                "nud", "permanent"));
    }

    @Override
    public void delete(String netns, Neighbour n) {
        try {
            runner.run(NetnsScope.in(netns), List.of("ip", "neigh", "del", n.ip(), "dev", n.dev()));
        } catch (DataplaneException e) {
            if (!e.isNotFound() && !e.stderr().contains("No such file")) {
                throw e;
            }
        }
    }

    @Override
    public List<Neighbour> list(String netns, String dev) {
        String out = runner.run(NetnsScope.in(netns), List.of("ip", "-json", "neigh", "show", "dev", dev, "nud",
                "permanent")).stdout();
        List<Neighbour> result = new ArrayList<>();
        for (JsonNode n : IpJson.array(out)) {
            String mac = IpJson.text(n, "lladdr");
            if (mac != null) {
                result.add(new Neighbour(IpJson.text(n, "dst"), mac, dev));
            }
        }
        return result;
    }
}
