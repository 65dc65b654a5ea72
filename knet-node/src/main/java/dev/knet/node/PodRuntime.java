package dev.knet.node;

import dev.knet.workloads.pod.PodContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pod this agent runs: its sandbox and its containers, in spec order. */
final class PodRuntime {

    final String uid;
    final String netns;
    final PodContext context;
    final Map<String, ContainerSlot> containers = new LinkedHashMap<>();
    /**
     * The resourceVersion our last status write replaced. The informer may still hand us that copy (the event of
     * our own write is on its way); writing over it again could only be refused as a conflict.
     */
    String statusWrittenOver;
    /**
     * Set once the pod is being deleted: until then its containers may run (preStop, SIGTERM, draining) and are not
     * restarted; liveness is no longer probed, readiness still is (so a draining pod can turn unready).
     */
    volatile Instant terminationDeadline;

    PodRuntime(String uid, String netns, PodContext context) {
        this.uid = uid;
        this.netns = netns;
        this.context = context;
    }
}
