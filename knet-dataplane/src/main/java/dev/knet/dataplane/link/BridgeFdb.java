package dev.knet.dataplane.link;

import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.IpJson;
import dev.knet.dataplane.NetnsScope;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** {@link Fdb} over {@code bridge -n NS fdb}. */
public final class BridgeFdb implements Fdb {

    private final CommandRunner runner;

    public BridgeFdb(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void append(String netns, FdbEntry e) {
        runner.run(NetnsScope.in(netns), List.of("bridge", "fdb", "append", e.mac(), "dev", e.dev(), "dst", e.dst()));
    }

    @Override
    public void delete(String netns, FdbEntry e) {
        try {
            runner.run(NetnsScope.in(netns), List.of("bridge", "fdb", "del", e.mac(), "dev", e.dev(), "dst", e.dst()));
        } catch (DataplaneException ex) {
            if (!ex.isNotFound()) {
                throw ex;
            }
        }
    }

    @Override
    public List<FdbEntry> list(String netns, String dev) {
        String out = runner.run(NetnsScope.in(netns), List.of("bridge", "-json", "fdb", "show", "dev", dev)).stdout();
        List<FdbEntry> entries = new ArrayList<>();
        for (JsonNode n : IpJson.array(out)) {
            String dst = IpJson.text(n, "dst");
            if (dst != null) {
                entries.add(new FdbEntry(IpJson.text(n, "mac"), dev, dst));
            }
        }
        return entries;
    }
}
