package dev.knet.control.runtime;

import dev.knet.store.ApiException;
import dev.knet.store.Handoff;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reconciler loop: keys go into a de-duplicating queue (usually from cache handlers); one worker
 * takes whatever has gathered, reconciles each key against the caches, and commits the decided
 * writes in as few transactions as it can. Reconcile must be idempotent: it may run again for a key
 * whose own last write the caches have not seen yet.
 */
public abstract class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    private static final int BATCH_KEYS = 2_000;
    private static final int CHUNK = 500;
    private static final int MAX_RETRIES = 8;

    private final String name;
    private final ApiStore store;
    private final WriteTracker tracker;
    private final WorkQueue queue = new WorkQueue();
    private final Map<String, Integer> failures = new HashMap<>();
    private volatile Thread worker;

    protected Controller(String name, ApiStore store, WriteTracker tracker) {
        this.name = name;
        this.store = store;
        this.tracker = tracker;
    }

    public String name() {
        return name;
    }

    /** Decides the writes that bring the object behind {@code key} to its desired state. */
    protected abstract void reconcile(String key, Writes writes);

    public void enqueue(String key) {
        queue.add(key);
    }

    /** Queues a key to be looked at again after a delay (to wait for a cache to catch up). */
    protected void enqueueAfter(String key, long delayMillis) {
        queue.addAfter(key, delayMillis);
    }

    public void enqueueAll(Collection<String> keys) {
        queue.addAll(keys);
    }

    public boolean isIdle() {
        return queue.isIdle();
    }

    public void start() {
        worker = Thread.ofPlatform().daemon().name("knet-" + name).start(this::run);
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            List<String> keys;
            try {
                keys = queue.take(BATCH_KEYS);
            } catch (InterruptedException e) {
                return;
            }
            if (keys.isEmpty()) {
                return;
            }
            try {
                round(keys);
            } catch (RuntimeException e) {
                // The loop must never die: log, and retry the whole round later.
                LOG.error("{}: round failed", name, e);
                keys.forEach(this::retryLater);
            } finally {
                queue.done();
            }
        }
    }

    private void round(List<String> keys) {
        Writes writes = new Writes();
        for (String key : keys) {
            writes.startKey(key);
            try {
                reconcile(key, writes);
            } catch (RuntimeException e) {
                LOG.warn("{}: reconciling {} failed", name, key, e);
                retryLater(key);
            }
        }
        List<Writes.Pending> pending = writes.pending();
        for (int i = 0; i < pending.size(); i += CHUNK) {
            commit(pending.subList(i, Math.min(pending.size(), i + CHUNK)));
        }
        if (!pending.isEmpty()) {
            LOG.debug("{}: {} keys, {} writes", name, keys.size(), pending.size());
        }
    }

    private void commit(List<Writes.Pending> chunk) {
        tracker.begin();
        try {
            List<Mutation> mutations = chunk.stream().map(Writes.Pending::mutation).toList();
            List<HasMetadata> results;
            try {
                // Controllers build a fresh object for every write and never touch it again, so the
                // store takes them without its defensive copy; a refused batch gets its objects back
                // as they were (the store restores their resourceVersions) and is retried in halves.
                results = store.commit(mutations, Handoff.TRANSFER);
            } catch (ApiException e) {
                if (chunk.size() == 1) {
                    failed(chunk.getFirst(), e);
                    return;
                }
                // One bad write must not sink the others: split in halves until it is alone, which
                // costs a few commits (each an fsync) instead of one per write.
                int half = chunk.size() / 2;
                commit(chunk.subList(0, half));
                commit(chunk.subList(half, chunk.size()));
                return;
            }
            for (int i = 0; i < chunk.size(); i++) {
                failures.remove(chunk.get(i).key());
                // The store copies a result only when it is read: read only the ones someone wants.
                if (chunk.get(i).onSuccess() != Writes.NOTHING) {
                    chunk.get(i).onSuccess().accept(results.get(i));
                }
            }
        } finally {
            tracker.end();
        }
    }

    private void failed(Writes.Pending p, ApiException e) {
        p.onFailure().accept(e);
        switch (e) {
            case ApiException.NotFound nf -> LOG.debug("{}: {} gone: {}", name, p.key(), nf.getMessage());
            case ApiException.Invalid inv -> LOG.warn("{}: write for {} refused: {}", name, p.key(), inv.getMessage());
            default -> {
                LOG.debug("{}: write for {} failed: {}", name, p.key(), e.getMessage());
                retryLater(p.key());
            }
        }
    }

    private void retryLater(String key) {
        if (key == null) {
            return;
        }
        int n = failures.merge(key, 1, Integer::sum);
        if (n > MAX_RETRIES) {
            LOG.error("{}: giving up on {} after {} attempts", name, key, n - 1);
            failures.remove(key);
            return;
        }
        queue.addAfter(key, 5L << Math.min(n, 10));
    }

    @Override
    public void close() {
        queue.shutdown();
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
