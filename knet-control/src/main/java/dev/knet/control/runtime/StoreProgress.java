package dev.knet.control.runtime;

import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Watch;
import dev.knet.store.WatchEvent;
import dev.knet.store.WatchListener;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the store's event stream has been delivered, exactly. Every resourceVersion is one event
 * of one kind, so with a watch on every kind the delivered versions form a gap-free sequence; its
 * high-water mark says "every change up to here has been delivered", and the newest version per kind
 * says which version each cache must reach to be as fresh. This is what lets idleness be exact
 * without the store offering progress notifications (bookmarks).
 */
public final class StoreProgress implements AutoCloseable {

    private final ApiStore store;
    private final List<Watch> watches = new ArrayList<>();
    private final Map<ResourceKind<?>, Long> newest = new ConcurrentHashMap<>();
    private final TreeSet<Long> ahead = new TreeSet<>();
    private long mark;
    private volatile boolean closed;

    public StoreProgress(ApiStore store) {
        this.store = store;
    }

    public synchronized void start() {
        mark = store.resourceVersion();
        for (ResourceKind<?> kind : ResourceKinds.ALL) {
            watches.add(watch(kind, mark));
        }
    }

    private <T extends HasMetadata> Watch watch(ResourceKind<T> kind, long from) {
        return store.watch(kind, ListOptions.all(), from, new WatchListener<>() {
            @Override
            public void onEvent(WatchEvent<T> event) {
                seen(kind, event.resourceVersion());
            }

            @Override
            public void onClose(Throwable cause) {
                if (!closed && cause != null) {
                    restart();
                }
            }
        });
    }

    /** A watch fell behind the store's history: start over from now (approximate for what was missed). */
    private synchronized void restart() {
        watches.forEach(Watch::close);
        watches.clear();
        ahead.clear();
        if (!closed) {
            start();
        }
    }

    private synchronized void seen(ResourceKind<?> kind, long version) {
        newest.merge(kind, version, Math::max);
        if (version <= mark) {
            return;
        }
        ahead.add(version);
        while (!ahead.isEmpty() && ahead.first() == mark + 1) {
            mark = ahead.pollFirst();
        }
    }

    /** Every event up to this version has been delivered. */
    public synchronized long deliveredThrough() {
        return mark;
    }

    /** The newest version of a kind delivered so far (0 if none since start). */
    public long newest(ResourceKind<?> kind) {
        return newest.getOrDefault(kind, 0L);
    }

    @Override
    public synchronized void close() {
        closed = true;
        watches.forEach(Watch::close);
    }
}
