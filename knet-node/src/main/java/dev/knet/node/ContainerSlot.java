package dev.knet.node;

import io.fabric8.kubernetes.api.model.Container;
import java.time.Duration;
import java.time.Instant;

/**
 * What the agent knows about one container of a running pod. Written by the pod's reconcile and,
 * for probe results, by the prober; fields are volatile because the status writer reads both.
 */
final class ContainerSlot {

    private static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    final Container spec;
    volatile RunningContainer running;
    volatile String description = "";
    volatile Instant startedAt;
    volatile int restartCount;
    volatile Integer lastExitCode;
    volatile String waitingReason = "ContainerCreating";
    volatile String waitingMessage;
    /** Invalid image or a finished container that its restartPolicy does not restart. */
    volatile boolean done;
    volatile boolean readinessOk;
    volatile int livenessFailures;
    volatile Instant nextProbe = Instant.EPOCH;
    /** Crash-loop back-off: the container is not restarted before this. */
    volatile Instant restartNotBefore = Instant.EPOCH;

    ContainerSlot(Container spec) {
        this.spec = spec;
    }

    boolean ready() {
        return running != null && (spec.getReadinessProbe() == null || readinessOk);
    }

    /** The kubelet's crash back-off, except that the first restart is immediate: 0, 10 s, 20 s, ... 5 min. */
    static Duration backoff(int restarts) {
        if (restarts == 0) {
            return Duration.ZERO;
        }
        Duration d = BACKOFF.multipliedBy(1L << Math.min(restarts - 1, 5));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    Duration initialProbeDelay() {
        var probe = spec.getReadinessProbe() != null
                ? spec.getReadinessProbe() : spec.getLivenessProbe();
        Integer delay = probe == null ? null : probe.getInitialDelaySeconds();
        return Duration.ofSeconds(delay == null ? 0 : delay);
    }
}
