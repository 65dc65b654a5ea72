package dev.knet.dataplane.route;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.Faults;
import dev.knet.dataplane.link.FakeLinks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Permanent neighbours in memory, keyed like the kernel's table by (netns, dev, ip). */
public final class FakeNeighbours implements Neighbours {

    private record Key(String netns, String dev, String ip) {
    }

    private final FakeLinks links;
    private final Faults faults;
    private final Map<Key, Neighbour> entries = new LinkedHashMap<>();

    public FakeNeighbours(FakeLinks links, Faults faults) {
        this.links = links;
        this.faults = faults;
        links.onLinkGone((ns, dev) -> {
            synchronized (this) {
                entries.keySet().removeIf(k -> k.netns.equals(ns) && k.dev.equals(dev));
            }
        });
    }

    @Override
    public synchronized void replacePermanent(String netns, Neighbour n) {
        faults.check("neighbours.replace");
        if (links.find(netns, n.dev()).isEmpty()) {
            throw new DataplaneException(DataplaneException.Kind.NOT_FOUND, "Cannot find device \"" + n.dev() + "\"");
        }
        entries.put(new Key(netns, n.dev(), n.ip()), n);
    }

    @Override
    public synchronized void delete(String netns, Neighbour n) {
        faults.check("neighbours.delete");
        entries.remove(new Key(netns, n.dev(), n.ip()));
    }

    @Override
    public synchronized List<Neighbour> list(String netns, String dev) {
        List<Neighbour> out = new ArrayList<>();
        entries.forEach((k, v) -> {
            if (k.netns.equals(netns) && k.dev.equals(dev)) {
                out.add(v);
            }
        });
        return out;
    }
}
