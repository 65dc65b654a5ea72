package dev.knet.store;

import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** One write inside a transaction ({@link ApiStore#commit}); a transaction applies all or none. */
public sealed interface Mutation {

    /** Creates a new object; fails if it exists. */
    record Create(HasMetadata object) implements Mutation {
    }

    /** Replaces an object's metadata and spec (status kept); a set resourceVersion must be current. */
    record Update(HasMetadata object) implements Mutation {
    }

    /** Replaces an object's status only; a set resourceVersion must be current. */
    record UpdateStatus(HasMetadata object) implements Mutation {
    }

    /** Creates the object, or updates it if it exists (what `knet apply` does). */
    record Apply(HasMetadata object) implements Mutation {
    }

    /**
     * Deletes an object. With finalizers present it only gets a deletionTimestamp and goes
     * when the last finalizer is removed, as in Kubernetes.
     */
    record Delete(ResourceKind<?> kind, String namespace, String name, Grace grace) implements Mutation {
    }

    /**
     * GRACEFUL marks a pod that runs on a node (or an object with finalizers) as terminating and
     * leaves the final removal to its node agent; IMMEDIATE removes it now (finalizers still hold).
     */
    enum Grace { GRACEFUL, IMMEDIATE }
}
