package dev.knet.control.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which object versions a controller has already written for. While the cache still shows
 * that version, the write's own event has not arrived yet and reconciling again would only produce
 * a conflict (or, worse, a duplicate), so the controller waits for the event.
 */
public final class InFlight {

    private final Map<String, String> writtenFrom = new ConcurrentHashMap<>();

    /** Whether a write based on this very version is already done or under way. */
    public boolean pending(String key, HasMetadata current) {
        String v = writtenFrom.get(key);
        if (v == null) {
            return false;
        }
        if (current != null && v.equals(current.getMetadata().getResourceVersion())) {
            return true;
        }
        writtenFrom.remove(key, v);
        return false;
    }

    public void mark(String key, HasMetadata basedOn) {
        writtenFrom.put(key, basedOn.getMetadata().getResourceVersion());
    }

    public void clear(String key) {
        writtenFrom.remove(key);
    }
}
