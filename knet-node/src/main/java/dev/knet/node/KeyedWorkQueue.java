package dev.knet.node;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue of keys for several workers that never hands out a key while another worker holds it,
 * after client-go's workqueue: a key is "dirty" from {@link #add} until a worker takes it, and
 * "processing" from {@link #take} until {@link #done}. Adding a key that is being processed only
 * marks it dirty; {@code done} puts it back in line, so the event is not lost and the pod's
 * reconciles stay one at a time. A key queued twice before a worker takes it is reconciled once.
 */
final class KeyedWorkQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private boolean shutDown;

    /** Queues {@code key} unless it already waits; a key in process is queued again when it is done. */
    void add(String key) {
        lock.lock();
        try {
            if (shutDown || !dirty.add(key) || processing.contains(key)) {
                return;
            }
            queue.addLast(key);
            nonEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a key no other worker holds; the caller must call {@link #done} with it.
     *
     * @return the key, or empty once the queue is shut down
     */
    Optional<String> take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !shutDown) {
                nonEmpty.await();
            }
            if (shutDown) {
                return Optional.empty();
            }
            String key = queue.removeFirst();
            dirty.remove(key);
            processing.add(key);
            return Optional.of(key);
        } finally {
            lock.unlock();
        }
    }

    /** Releases {@code key}; if it was added meanwhile, it goes back in line. */
    void done(String key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key) && !shutDown) {
                queue.addLast(key);
                nonEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting worker with "no more keys"; later adds are ignored. */
    void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
