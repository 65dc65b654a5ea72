package dev.knet.node;

import io.fabric8.kubernetes.api.model.Probe;
import dev.knet.workloads.pod.PodSockets;

/** Runs one probe of a container, from inside its pod's network namespace. */
@FunctionalInterface
public interface Prober {

    /** Whether the probe succeeded; any failure to run it counts as a failed probe. */
    boolean probe(Target target, Probe probe);

    /**
     * What a probe is aimed at.
     *
     * @param namespace the pod's namespace
     * @param pod       the pod's name
     * @param container the probed container
     * @param podIp     the pod's address (httpGet/tcpSocket without host go there)
     * @param netns     the pod's network namespace
     * @param sockets   sockets created inside {@code netns}
     */
    record Target(String namespace, String pod, String container, String podIp, String netns, PodSockets sockets) {
    }
}
