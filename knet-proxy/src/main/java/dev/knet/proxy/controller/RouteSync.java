package dev.knet.proxy.controller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded-frequency loop between the informers and the proxy, kube-proxy's way: events only
 * mark what went stale; one thread rebuilds at most once per debounce interval, merging a burst of
 * events into one rebuild; nothing is built before start() (after every informer has listed); a
 * failed rebuild is logged, counted, and retried in full after a back-off; the loop never dies.
 * The data path never waits on it: it only reads the snapshots a rebuild swaps in.
 */
final class RouteSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteSync.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** What a rebuild does; routes or endpoints (or both) are stale. */
    interface Rebuild {
        void run(boolean routes, boolean endpoints) throws Exception;
    }

    private final Duration debounce;
    private final Rebuild rebuild;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("knet-ingress-sync").unstarted(r));
    private final AtomicBoolean routesStale = new AtomicBoolean(true);
    private final AtomicBoolean endpointsStale = new AtomicBoolean(true);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean started;

    RouteSync(Duration debounce, Rebuild rebuild) {
        this.debounce = debounce;
        this.rebuild = rebuild;
    }

    void routesChanged() {
        routesStale.set(true);
        schedule(debounce);
    }

    void endpointsChanged() {
        endpointsStale.set(true);
        schedule(debounce);
    }

    /** Builds everything once now, waits for it, and from then on follows the events. */
    void start() throws Exception {
        started = true;
        thread.submit(this::runOnce).get();
    }

    long syncs() {
        return syncs.get();
    }

    long failures() {
        return failures.get();
    }

    private void schedule(Duration delay) {
        if (started && scheduled.compareAndSet(false, true)) {
            thread.schedule(this::runOnce, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce() {
        scheduled.set(false);
        boolean routes = routesStale.getAndSet(false);
        boolean endpoints = endpointsStale.getAndSet(false);
        if (!routes && !endpoints) {
            return;
        }
        try {
            rebuild.run(routes, endpoints);
            syncs.incrementAndGet();
        } catch (Exception | LinkageError e) {
            failures.incrementAndGet();
            LOG.warn("ingress sync failed; rebuilding everything in {}", RETRY, e);
            routesStale.set(true);
            endpointsStale.set(true);
            schedule(RETRY);
        }
    }

    @Override
    public void close() {
        started = false;
        thread.shutdownNow();
    }
}
