package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Receives a watch's events in resourceVersion order, one at a time, on the watch's own thread.
 * {@link #onClose} is called once when the watch ends: with null after close(), or with the
 * failure (for example {@link ApiException.Gone}) that ended it.
 */
public interface WatchListener<T extends HasMetadata> {

    void onEvent(WatchEvent<T> event);

    default void onClose(Throwable cause) {
    }
}
