package dev.knet.node;

import dev.knet.workloads.pod.PodContext;
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

    PodRuntime(String uid, String netns, PodContext context) {
        this.uid = uid;
        this.netns = netns;
        this.context = context;
    }
}
