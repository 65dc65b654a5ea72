package dev.knet.store;

import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Collection;
import java.util.Optional;

/** A read-only view of the objects, as a transaction in progress sees them. Objects are shared: do not change them. */
public interface StoreView {

    <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name);

    /** Every object of a kind, all namespaces. */
    <T extends HasMetadata> Collection<T> all(ResourceKind<T> kind);
}
