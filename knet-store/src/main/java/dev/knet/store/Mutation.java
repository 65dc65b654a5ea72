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
     * The grace of a delete (DeleteOptions.gracePeriodSeconds). It matters to a pod that runs on a node: such a pod
     * is only marked as terminating, with deletionGracePeriodSeconds and a deletionTimestamp at the end of that
     * grace, and its node agent removes it once its containers have stopped. A later delete may shorten a pod's
     * grace, never lengthen it. Other objects go at once; finalizers hold any object until they are removed.
     */
    sealed interface Grace {

        /** No gracePeriodSeconds: a pod gets its spec.terminationGracePeriodSeconds (30 s when unset). */
        Grace GRACEFUL = new PodDefault();

        /** gracePeriodSeconds=0: removed now (finalizers still hold); what a node agent sends to let a pod go. */
        Grace IMMEDIATE = new Immediate();

        /** The grace a DELETE asks for: 0 is {@link #IMMEDIATE}; a negative value counts as 1 s, as in Kubernetes. */
        static Grace ofSeconds(long seconds) {
            return seconds == 0 ? IMMEDIATE : new Seconds(seconds);
        }

        /** The pod's own grace period. */
        record PodDefault() implements Grace {
        }

        /** No grace: removed now. */
        record Immediate() implements Grace {
        }

        /** An explicit grace in seconds ({@code Seconds(0)} is the same as {@link Immediate}). */
        record Seconds(long seconds) implements Grace {
        }
    }
}
