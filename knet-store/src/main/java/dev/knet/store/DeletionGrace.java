package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The deletion marks a delete gives an object, computed as the Kubernetes API server does. A pod that runs on a
 * node gets deletionGracePeriodSeconds = the delete's grace (else its spec's terminationGracePeriodSeconds, else
 * 30) and deletionTimestamp = the end of that grace. A later delete may shorten the grace, which then counts from
 * the same start, so the deletionTimestamp only moves earlier. An object that only finalizers hold gets the time
 * of the delete (and a pod grace 0: nothing waits for it).
 */
final class DeletionGrace {

    /** The API's default terminationGracePeriodSeconds. */
    static final long DEFAULT_POD_SECONDS = 30;

    private DeletionGrace() {
    }

    /** deletionTimestamp and deletionGracePeriodSeconds (null: the field stays unset). */
    record Marks(Instant deletionTimestamp, Long gracePeriodSeconds) {

        void applyTo(ObjectMeta meta) {
            meta.setDeletionTimestamp(deletionTimestamp.toString());
            meta.setDeletionGracePeriodSeconds(gracePeriodSeconds);
        }
    }

    /** Whether the delete removes the object now (a running pod included); finalizers still hold it. */
    static boolean immediate(Mutation.Grace grace) {
        return switch (grace) {
            case Mutation.Grace.Immediate i -> true;
            case Mutation.Grace.Seconds(long seconds) -> seconds == 0;
            case Mutation.Grace.PodDefault p -> false;
        };
    }

    /** The first graceful delete of a pod that runs on a node. */
    static Marks graceful(Pod pod, Mutation.Grace grace, Instant now) {
        long seconds = requested(grace).orElseGet(() -> specSeconds(pod));
        return new Marks(now.plusSeconds(seconds), seconds);
    }

    /** The first delete of an object that its finalizers hold (and that is not a graceful pod). */
    static Marks heldByFinalizers(HasMetadata object, Instant now) {
        return new Marks(now, object instanceof Pod ? 0L : null);
    }

    /**
     * A delete of a pod already terminating on its node: the shorter grace it asks for, or empty when it asks for
     * none (the pod's own grace is pending) or for one that is not shorter.
     */
    static Optional<Marks> shortened(ObjectMeta was, Mutation.Grace grace, Instant now) {
        OptionalLong requested = requested(grace);
        Long current = was.getDeletionGracePeriodSeconds();
        if (requested.isEmpty() || current == null || requested.getAsLong() >= current) {
            return Optional.empty();
        }
        long seconds = requested.getAsLong();
        Instant start = parse(was.getDeletionTimestamp()).map(end -> end.minusSeconds(current)).orElse(now);
        return Optional.of(new Marks(start.plusSeconds(seconds), seconds));
    }

    private static OptionalLong requested(Mutation.Grace grace) {
        return switch (grace) {
            case Mutation.Grace.Immediate i -> OptionalLong.of(0);
            // The API server's pod strategy turns a negative grace into one second.
            case Mutation.Grace.Seconds(long seconds) -> OptionalLong.of(seconds < 0 ? 1 : seconds);
            case Mutation.Grace.PodDefault p -> OptionalLong.empty();
        };
    }

    private static long specSeconds(Pod pod) {
        Long grace = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
        return grace == null ? DEFAULT_POD_SECONDS : Math.max(0, grace);
    }

    private static Optional<Instant> parse(String timestamp) {
        try {
            return Optional.ofNullable(timestamp).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // not one we wrote: count the shorter grace from now
        }
    }
}
