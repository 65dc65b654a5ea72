package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One change seen by a watch. The object is a shared snapshot: treat it as read-only
 * (copy it with KnetJson.copy before changing it).
 */
public record WatchEvent<T extends HasMetadata>(Type type, T object, long resourceVersion) {

    public enum Type { ADDED, MODIFIED, DELETED }
}
