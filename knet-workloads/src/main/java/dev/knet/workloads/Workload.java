package dev.knet.workloads;

import dev.knet.workloads.pod.PodContext;

import java.util.concurrent.CompletableFuture;

/**
 * A program knet runs in-process for a container whose image it knows. The agent calls
 * {@link #start} once, watches {@link #termination()} for the container's exit code, and calls
 * {@link #stop} when the pod goes away.
 */
public interface Workload {

    /** What runs, for logs and pod status, e.g. "agnhost netexec --http-port=8080". */
    String description();

    /** Opens the workload's sockets in the pod and returns once it serves; fails if a socket cannot be opened. */
    void start(PodContext ctx) throws WorkloadException;

    /** Completes with the exit code when the workload ends, by itself (e.g. netexec's /exit) or after {@link #stop}. */
    CompletableFuture<Integer> termination();

    /** Closes everything the workload opened; idempotent. */
    void stop();
}
