package dev.knet.policy.observe;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the fake nflog and conntrack sources share: batches the test queues, handed out one per receive after a
 * bounded wait (like the sockets' poll), an error the next receive throws, and whether the reader closed it.
 */
abstract class FakeBatchSource<T> {

    private final LinkedBlockingQueue<List<T>> batches = new LinkedBlockingQueue<>();
    private volatile RuntimeException failure;
    private volatile boolean closed;

    final void add(List<T> batch) {
        batches.add(batch);
    }

    /** The next receive throws, as a socket error would. */
    final void fail(RuntimeException e) {
        failure = e;
    }

    final boolean closed() {
        return closed;
    }

    public final List<T> receive() {
        if (failure != null) {
            throw failure;
        }
        try {
            List<T> next = batches.poll(20, TimeUnit.MILLISECONDS); // a bounded wait, like the socket's
            return next == null ? List.of() : next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    public final long lost() {
        return 0;
    }

    public final void close() {
        closed = true;
    }
}
