package dev.knet.store;

import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/**
 * Versioned API objects with list and watch, shaped like the Kubernetes API server.
 *
 * <p>Every write gets a resourceVersion from one cluster-wide counter; watches see every change in
 * that order, with no gaps, and can resume from any version the store still remembers. A write that
 * returns has been made durable by the store's journal. Objects passed in are copied; objects
 * returned by get and list are copies the caller may change; objects in watch events are shared.
 */
public interface ApiStore extends AutoCloseable {

    /** Applies the mutations as one transaction and returns the stored objects (null for a removed one). */
    List<HasMetadata> commit(List<? extends Mutation> mutations);

    /** Like {@link #commit(List)}; with {@link Handoff#TRANSFER} the store takes the objects without copying them. */
    default List<HasMetadata> commit(List<? extends Mutation> mutations, Handoff handoff) {
        return commit(mutations);
    }

    default <T extends HasMetadata> T create(T object) {
        return cast(commit(List.of(new Mutation.Create(object))).getFirst(), object);
    }

    default <T extends HasMetadata> T update(T object) {
        return cast(commit(List.of(new Mutation.Update(object))).getFirst(), object);
    }

    default <T extends HasMetadata> T updateStatus(T object) {
        return cast(commit(List.of(new Mutation.UpdateStatus(object))).getFirst(), object);
    }

    default <T extends HasMetadata> T apply(T object) {
        return cast(commit(List.of(new Mutation.Apply(object))).getFirst(), object);
    }

    /**
     * Deletes gracefully: an object with finalizers, or a pod bound to a node, only gets a
     * deletionTimestamp; returns the object as it is after the call (null when removed).
     */
    default HasMetadata delete(ResourceKind<?> kind, String namespace, String name) {
        return commit(List.of(new Mutation.Delete(kind, namespace, name, Mutation.Grace.GRACEFUL))).getFirst();
    }

    <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name);

    <T extends HasMetadata> ObjectList<T> list(ResourceKind<T> kind, ListOptions options);

    /**
     * Watches a kind. With {@code fromResourceVersion} null, the current objects arrive first as
     * ADDED events; otherwise every change after that version follows, or the listener is closed
     * with {@link ApiException.Gone} when the store no longer holds that history.
     */
    <T extends HasMetadata> Watch watch(ResourceKind<T> kind, ListOptions options, Long fromResourceVersion,
                                        WatchListener<T> listener);

    /** The newest resourceVersion written. */
    long resourceVersion();

    @Override
    void close();

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T cast(HasMetadata stored, T like) {
        return (T) stored;
    }
}
