package dev.knet.dataplane.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task no more often than once per {@code minInterval}, merging every request that arrives while a run
 * is pending into that run (kube-proxy's BoundedFrequencyRunner). Runs never overlap: they all execute on the
 * given single-threaded executor, and a request made during a run schedules exactly one follow-up.
 * Shared by the sync loops that program nftables: the Service proxy and policy enforcement.
 */
public final class BoundedFrequencyRunner {

    private final Runnable task;
    private final long minIntervalNanos;
    private final ScheduledExecutorService executor;
    private boolean scheduled;
    private long lastStart = Long.MIN_VALUE;

    public BoundedFrequencyRunner(Runnable task, Duration minInterval, ScheduledExecutorService executor) {
        this.task = Objects.requireNonNull(task, "task");
        this.minIntervalNanos = minInterval.toNanos();
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Asks for a run as soon as the minimum interval allows; merged with any run already pending. */
    public synchronized void request() {
        long now = System.nanoTime();
        long delay = lastStart == Long.MIN_VALUE ? 0 : Math.max(0, lastStart + minIntervalNanos - now);
        schedule(delay);
    }

    /** Asks for a run after a delay (a retry after failure); merged like {@link #request()}. */
    public synchronized void requestAfter(Duration delay) {
        schedule(delay.toNanos());
    }

    private void schedule(long delayNanos) {
        if (scheduled || executor.isShutdown()) {
            return;
        }
        scheduled = true;
        executor.schedule(this::runOnce, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void runOnce() {
        synchronized (this) {
            // cleared before running, so a request made during the run schedules one more
            scheduled = false;
            lastStart = System.nanoTime();
        }
        task.run();
    }
}
