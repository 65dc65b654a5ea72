package dev.knet.workloads.agnhost;

import dev.knet.workloads.ServerWorkload;
import dev.knet.workloads.pod.PodContext;

/** agnhost pause (and the pause image): holds the pod open and does nothing until stopped. */
public final class Pause extends ServerWorkload {

    @Override
    public String description() {
        return "pause";
    }

    @Override
    protected void open(PodContext ctx) {
        // nothing to serve: the pod's namespace is held by the agent, not by this process
    }
}
