package dev.knet.workloads.pod;

import dev.knet.dataplane.netns.NetnsThread;

import java.util.concurrent.Callable;

/**
 * Runs a piece of work with the calling code inside a pod's network namespace.
 *
 * <p>Why this seam: a socket belongs to the namespace of the thread that created it, so every
 * listening or outgoing socket of a pod must be created inside {@link #inNetns}. Only
 * {@link PodSockets} calls it. Tests that need no root use {@link #sameNamespace()}.
 */
@FunctionalInterface
public interface NetnsExecutor {

    /** Runs {@code work} inside {@code netns} and returns its result; the work's exception is rethrown. */
    <T> T inNetns(String netns, Callable<T> work) throws Exception;

    /** The real one: setns(2) on a dedicated platform thread (knet-dataplane's {@link NetnsThread}). */
    static NetnsExecutor kernel() {
        return NetnsThread::run;
    }

    /** Runs the work right here, in whatever namespace the caller is in: for tests and host-network pods. */
    static NetnsExecutor sameNamespace() {
        return new NetnsExecutor() {
            @Override
            public <T> T inNetns(String netns, Callable<T> work) throws Exception {
                return work.call();
            }
        };
    }
}
