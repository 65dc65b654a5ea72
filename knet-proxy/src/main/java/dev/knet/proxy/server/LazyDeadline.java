package dev.knet.proxy.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A deadline of fixed length that is armed and disarmed once per request without scheduling and
 * cancelling a task each time: arming only moves the due time, and the one scheduled check
 * re-schedules itself for the remainder when it finds the deadline moved. Use from the
 * executor's thread only.
 */
final class LazyDeadline {

    private final EventExecutor executor;
    private final long timeoutNanos;
    private final Runnable onExpiry;
    private long due;
    private boolean armed;
    private ScheduledFuture<?> check;

    LazyDeadline(EventExecutor executor, long timeoutMillis, Runnable onExpiry) {
        this.executor = executor;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.onExpiry = onExpiry;
    }

    /** Due timeout from now. */
    void arm() {
        due = System.nanoTime() + timeoutNanos;
        armed = true;
        if (check == null) {
            check = executor.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Off until the next arm(); a pending check finds nothing to do. */
    void disarm() {
        armed = false;
    }

    /** Off for good, the pending check cancelled. */
    void cancel() {
        armed = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void check() {
        check = null;
        if (!armed) {
            return;
        }
        long left = due - System.nanoTime();
        if (left > 0) {
            check = executor.schedule(this::check, left, TimeUnit.NANOSECONDS);
            return;
        }
        armed = false;
        onExpiry.run();
    }
}
