package dev.knet.control.runtime;

import dev.knet.model.ResourceKind;
import dev.knet.store.ApiException;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.ObjectList;
import dev.knet.store.Watch;
import dev.knet.store.WatchEvent;
import dev.knet.store.WatchListener;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A read-only mirror of one kind, fed by a list and then a watch from the list's version (an
 * informer). Objects are the store's shared snapshots: never change them. Handlers run on the
 * watch thread, in resourceVersion order, after the mirror has been updated, so they see the
 * object they are told about. A watch that falls too far behind (Gone) re-lists and tells the
 * handlers about every object again, and about the ones that vanished meanwhile.
 */
public final class ObjectCache<T extends HasMetadata> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectCache.class);

    /** Told about every change: old is null for an addition, now is null for a removal. */
    public interface Handler<T> {
        void onChange(T old, T now);
    }

    private final ApiStore store;
    private final ResourceKind<T> kind;
    private final Map<String, T> objects = new ConcurrentHashMap<>();
    private final List<Handler<T>> handlers = new CopyOnWriteArrayList<>();
    private final AtomicLong lastSeen = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile Watch watch;
    private volatile boolean closed;

    public ObjectCache(ApiStore store, ResourceKind<T> kind) {
        this.store = store;
        this.kind = kind;
    }

    public ResourceKind<T> kind() {
        return kind;
    }

    /** Handlers added before {@link #start} see the initial objects as additions. */
    public void addHandler(Handler<T> handler) {
        handlers.add(handler);
    }

    public void start() {
        relist();
    }

    private synchronized void relist() {
        if (closed) {
            return;
        }
        ObjectList<T> list = store.list(kind, ListOptions.all());
        Map<String, T> fresh = new HashMap<>();
        for (T o : list.items()) {
            fresh.put(Keys.of(o), o);
        }
        for (var e : Map.copyOf(objects).entrySet()) {
            if (!fresh.containsKey(e.getKey())) {
                objects.remove(e.getKey());
                dispatch(e.getValue(), null);
            }
        }
        for (var e : fresh.entrySet()) {
            T old = objects.put(e.getKey(), e.getValue());
            dispatch(old, e.getValue());
        }
        applied.accumulateAndGet(list.resourceVersion(), Math::max);
        lastSeen.accumulateAndGet(list.resourceVersion(), Math::max);
        watch = store.watch(kind, ListOptions.all(), list.resourceVersion(), new Listener());
    }

    private final class Listener implements WatchListener<T> {
        @Override
        public void onEvent(WatchEvent<T> event) {
            T now = event.object();
            String key = Keys.of(now);
            T old = event.type() == WatchEvent.Type.DELETED ? objects.remove(key) : objects.put(key, now);
            applied.accumulateAndGet(event.resourceVersion(), Math::max);
            dispatch(old, event.type() == WatchEvent.Type.DELETED ? null : now);
            lastSeen.accumulateAndGet(event.resourceVersion(), Math::max);
        }

        @Override
        public void onClose(Throwable cause) {
            if (closed) {
                return;
            }
            if (cause instanceof ApiException.Gone) {
                LOG.info("watch of {} fell behind ({}); listing again", kind.plural(), cause.getMessage());
            } else {
                LOG.warn("watch of {} ended; listing again", kind.plural(), cause);
            }
            Thread.ofVirtual().name("relist-" + kind.plural()).start(ObjectCache.this::relist);
        }
    }

    private void dispatch(T old, T now) {
        for (Handler<T> h : handlers) {
            try {
                h.onChange(old, now);
            } catch (RuntimeException e) {
                // A failing handler must not stop the watch, or every controller goes blind.
                LOG.error("handler for {} failed on {}", kind.plural(), Keys.of(now != null ? now : old), e);
            }
        }
    }

    public T get(String namespace, String name) {
        return objects.get(Keys.of(namespace, name));
    }

    public T get(String key) {
        return objects.get(key);
    }

    public Collection<T> all() {
        return objects.values();
    }

    public int size() {
        return objects.size();
    }

    /** The newest resourceVersion in the mirror (its handlers may still be running). */
    public long applied() {
        return applied.get();
    }

    /** The newest resourceVersion whose handlers have all run. */
    public long lastSeen() {
        return lastSeen.get();
    }

    @Override
    public void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
