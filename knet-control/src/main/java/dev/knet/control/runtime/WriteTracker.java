package dev.knet.control.runtime;

import dev.knet.model.ResourceKind;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the controllers wrote and are writing: commits in flight, and per kind the newest version
 * they produced, so idleness can wait until the caches have seen the controllers' own writes.
 */
public final class WriteTracker {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<ResourceKind<?>, Long> newest = new ConcurrentHashMap<>();

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        inFlight.decrementAndGet();
    }

    void wrote(ResourceKind<?> kind, long version) {
        newest.merge(kind, version, Math::max);
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long newest(ResourceKind<?> kind) {
        return newest.getOrDefault(kind, 0L);
    }
}
