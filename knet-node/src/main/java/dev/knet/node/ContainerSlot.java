package dev.knet.node;

import io.fabric8.kubernetes.api.model.Container;
import java.time.Instant;

/**
 * What the agent knows about one container of a running pod. Written by the pod's reconcile and,
 * for probe results, by the prober; fields are volatile because the status writer reads both.
 */
final class ContainerSlot {

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
}
