package dev.knet.agent.services;

import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.dataplane.nft.Nftables;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service proxy's sync loop, shaped like kube-proxy's: events only feed the change tracker and request a
 * sync; a bounded-frequency runner merges bursts; nothing is written until the initial lists of services and
 * endpoints are both known; the first sync and any sync after a failure replace the whole table, others change
 * only map elements; each sync is one nft transaction. A failing sync never stops the loop: it is logged,
 * counted, and retried with backoff as a full sync.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

    /** Tuning of the loop; {@link #DEFAULT} suits a node agent. */
    public record Config(Duration minSyncInterval, Duration initialBackoff, Duration maxBackoff) {
        public static final Config DEFAULT = new Config(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** What the loop has done so far: for tests, status endpoints and logs. */
    public record SyncStatus(long syncs, long fullSyncs, long failures, long appliedGeneration) {
    }

    private final ServiceRulesetGenerator generator;
    private final Nftables nft;
    private final Config config;
    private final ServiceProxyMetrics metrics;
    private final ServiceChangeTracker tracker = new ServiceChangeTracker();
    private final ScheduledExecutorService executor;
    private final BoundedFrequencyRunner runner;

    // Touched only on the sync thread, except through status().
    private ServiceRuleset applied;
    private boolean needFull = true;
    private Duration backoff;
    private volatile SyncStatus status = new SyncStatus(0, 0, 0, -1);

    public ServiceProxy(NodeInfo node, Nftables nft, MeterRegistry registry, Config config) {
        this.generator = new ServiceRulesetGenerator(Objects.requireNonNull(node, "node"));
        this.nft = Objects.requireNonNull(nft, "nft");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new ServiceProxyMetrics(Objects.requireNonNull(registry, "registry"));
        this.backoff = config.initialBackoff();
        // A platform thread of its own: syncs are serialised and never block the event threads.
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("knet-service-proxy").daemon().factory());
        this.runner = new BoundedFrequencyRunner(this::sync, config.minSyncInterval(), executor);
    }

    public void onServiceUpdate(ServiceInfo service) {
        tracker.updateService(service);
        runner.request();
    }

    public void onServiceDelete(ServiceKey key) {
        tracker.deleteService(key);
        runner.request();
    }

    /** The merged endpoints of one service (all its EndpointSlices), see {@link ServiceTranslator#endpoints}. */
    public void onEndpointsUpdate(ServiceKey key, List<EndpointInfo> endpoints) {
        tracker.updateEndpoints(key, endpoints);
        runner.request();
    }

    public void onEndpointsDelete(ServiceKey key) {
        tracker.deleteEndpoints(key);
        runner.request();
    }

    /** Call once the initial list of Services has been fed. */
    public void markServicesSynced() {
        tracker.markServicesSynced();
        runner.request();
    }

    /** Call once the initial list of EndpointSlices has been fed. */
    public void markEndpointsSynced() {
        tracker.markEndpointsSynced();
        runner.request();
    }

    public SyncStatus status() {
        return status;
    }

    /** Waits until every sync already requested without delay has run (tests use it to observe "nothing"). */
    void awaitIdle() throws Exception {
        executor.submit(() -> { }).get();
    }

    private void sync() {
        if (!tracker.isSynced()) {
            return;
        }
        ServiceChangeTracker.Snapshot snap = tracker.snapshot();
        long start = System.nanoTime();
        boolean full = needFull || applied == null;
        try {
            ServiceRuleset want = generator.generate(snap.services(), snap.endpoints());
            NftTransaction tx = full ? null : want.partialTransaction(applied).orElse(null);
            if (tx == null) {
                full = true;
                tx = want.fullTransaction();
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("services transaction:\n{}", tx);
            }
            if (tx.isEmpty()) {
                SyncStatus s = status;
                status = new SyncStatus(s.syncs(), s.fullSyncs(), s.failures(), snap.generation());
                return; // nothing changed since the last write: no transaction at all
            }
            nft.run(tx);
            applied = want;
            needFull = false;
            backoff = config.initialBackoff();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            metrics.success(full, took, want, System.currentTimeMillis() / 1000);
            SyncStatus s = status;
            status = new SyncStatus(s.syncs() + 1, s.fullSyncs() + (full ? 1 : 0), s.failures(), snap.generation());
            LOG.info("service sync ({}): {} services, {} operations, {} elements in {} ms", full ? "full" : "partial",
                    snap.services().size(), tx.size(), want.elementCount(), took.toMillis());
        } catch (Exception e) {
            // Never let the loop die: the next attempt rewrites everything, after a growing pause.
            LOG.warn("service sync failed, retrying as a full sync in {} ms", backoff.toMillis(), e);
            metrics.failure();
            needFull = true;
            SyncStatus s = status;
            status = new SyncStatus(s.syncs(), s.fullSyncs(), s.failures() + 1, s.appliedGeneration());
            runner.requestAfter(backoff);
            backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
