package dev.knet.node;

import dev.knet.workloads.Workload;
import dev.knet.workloads.pod.PodContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One started container: an in-process workload or a process in the pod namespace. */
sealed interface RunningContainer {

    /** Completes with the exit code. */
    CompletableFuture<Integer> termination();

    /** Stops it now (SIGTERM, then SIGKILL after a short wait): for a pod that is gone or a failed liveness probe. */
    void stop();

    /** Asks it to end, as SIGTERM does, without waiting: the start of a graceful termination. */
    void terminate();

    /** Ends it at once, as SIGKILL does: its termination grace period has run out. */
    void kill();

    /** The pod context built-ins run with (exec of built-in commands needs it); null for processes. */
    PodContext context();

    record BuiltIn(Workload workload, PodContext context) implements RunningContainer {
        @Override
        public CompletableFuture<Integer> termination() {
            return workload.termination();
        }

        @Override
        public void stop() {
            workload.stop();
        }

        /** A built-in workload has no signal handling of its own: SIGTERM ends it as stop does. */
        @Override
        public void terminate() {
            workload.stop();
        }

        @Override
        public void kill() {
            workload.stop();
        }
    }

    record OsProcess(Process process, PodContext context) implements RunningContainer {
        @Override
        public CompletableFuture<Integer> termination() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public void stop() {
            process.destroy(); // SIGTERM first, as the kubelet does; SIGKILL after a short grace
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        public void terminate() {
            process.destroy();
        }

        @Override
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
