package dev.knet.control.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A de-duplicating queue of keys, like client-go's workqueue: a key added many times while it waits
 * is processed once; a key added while it is being processed waits for the next round. Keys can be
 * retried after a delay. One consumer.
 */
public final class WorkQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashSet<String> ready = new LinkedHashSet<>();
    private final Map<String, Long> delayed = new HashMap<>();
    private boolean processing;
    private boolean shutdown;

    public void add(String key) {
        lock.lock();
        try {
            ready.add(key);
            delayed.remove(key);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void addAll(Iterable<String> keys) {
        lock.lock();
        try {
            for (String k : keys) {
                ready.add(k);
                delayed.remove(k);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void addAfter(String key, long delayMillis) {
        lock.lock();
        try {
            if (!ready.contains(key)) {
                delayed.merge(key, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), Math::min);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for keys and takes up to {@code max} of them, marking the queue busy until
     * {@link #done}. Returns an empty list on shutdown.
     */
    public List<String> take(int max) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (shutdown) {
                    return List.of();
                }
                long now = System.nanoTime();
                long nextDue = Long.MAX_VALUE;
                for (Iterator<Map.Entry<String, Long>> it = delayed.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue() <= now) {
                        ready.add(e.getKey());
                        it.remove();
                    } else {
                        nextDue = Math.min(nextDue, e.getValue());
                    }
                }
                if (!ready.isEmpty()) {
                    List<String> out = new ArrayList<>(Math.min(max, ready.size()));
                    for (Iterator<String> it = ready.iterator(); it.hasNext() && out.size() < max; ) {
                        out.add(it.next());
                        it.remove();
                    }
                    processing = true;
                    return out;
                }
                if (nextDue == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(nextDue - now);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void done() {
        lock.lock();
        try {
            processing = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Nothing waiting, nothing being processed (delayed retries count as waiting). */
    public boolean isIdle() {
        lock.lock();
        try {
            return ready.isEmpty() && delayed.isEmpty() && !processing;
        } finally {
            lock.unlock();
        }
    }

    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
