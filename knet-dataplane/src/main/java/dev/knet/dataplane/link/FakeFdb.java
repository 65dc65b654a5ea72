package dev.knet.dataplane.link;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.Faults;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** FDB entries in memory; the device must exist, and entries vanish with it. */
public final class FakeFdb implements Fdb {

    private record Key(String netns, FdbEntry entry) {
    }

    private final FakeLinks links;
    private final Faults faults;
    private final Set<Key> entries = new LinkedHashSet<>();

    public FakeFdb(FakeLinks links, Faults faults) {
        this.links = links;
        this.faults = faults;
        links.onLinkGone((ns, dev) -> {
            synchronized (this) {
                // the kernel flushes a device's FDB only when the device is deleted, not when it goes down
                if (!links.exists(ns, dev)) {
                    entries.removeIf(k -> k.netns.equals(ns) && k.entry.dev().equals(dev));
                }
            }
        });
    }

    @Override
    public synchronized void append(String netns, FdbEntry entry) {
        faults.check("fdb.append");
        if (links.find(netns, entry.dev()).isEmpty()) {
            throw new DataplaneException(DataplaneException.Kind.NOT_FOUND, "Cannot find device " + entry.dev());
        }
        if (!entries.add(new Key(netns, entry))) {
            throw new DataplaneException(DataplaneException.Kind.EXISTS, entry + ": File exists");
        }
    }

    @Override
    public synchronized void delete(String netns, FdbEntry entry) {
        faults.check("fdb.delete");
        entries.remove(new Key(netns, entry));
    }

    @Override
    public synchronized List<FdbEntry> list(String netns, String dev) {
        List<FdbEntry> out = new ArrayList<>();
        entries.stream().filter(k -> k.netns.equals(netns) && k.entry.dev().equals(dev)).forEach(k -> out.add(k.entry));
        return out;
    }
}
