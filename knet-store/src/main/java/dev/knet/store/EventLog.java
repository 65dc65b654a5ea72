package dev.knet.store;

import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recent history of changes, in resourceVersion order, that watches read from. Each watch keeps
 * its own cursor, so delivery is in order and gap-free by construction. History beyond
 * {@code capacity} entries is dropped; a watch that falls that far behind gets {@link ApiException.Gone}.
 */
final class EventLog {

    /** One change: the object after it (for DELETED, the last state) and before it (null for ADDED). */
    record Entry(long resourceVersion, ResourceKind<?> kind, WatchEvent.Type type, HasMetadata object,
                 HasMetadata previous) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** Every version at or below this one is outside the log. */
    private long horizon;

    EventLog(int capacity, long startVersion) {
        this.capacity = capacity;
        this.horizon = startVersion;
    }

    void append(List<Entry> batch) {
        lock.lock();
        try {
            for (Entry e : batch) {
                entries.addLast(e);
                while (entries.size() > capacity) {
                    horizon = entries.removeFirst().resourceVersion();
                }
            }
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entries after {@code afterVersion}, waiting up to the timeout for one to arrive.
     * Throws Gone when entries after that version were already dropped.
     */
    List<Entry> after(long afterVersion, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                if (afterVersion < horizon) {
                    throw new ApiException.Gone(afterVersion, horizon);
                }
                if (!entries.isEmpty() && entries.peekLast().resourceVersion() > afterVersion) {
                    List<Entry> out = new ArrayList<>();
                    for (var it = entries.descendingIterator(); it.hasNext(); ) {
                        Entry e = it.next();
                        if (e.resourceVersion() <= afterVersion) {
                            break;
                        }
                        out.add(e);
                    }
                    java.util.Collections.reverse(out);
                    return out;
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    return List.of();
                }
                appended.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }
}
