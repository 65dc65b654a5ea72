package dev.knet.agent.services;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The service proxy's meters, named like kube-proxy's where one exists. */
final class ServiceProxyMetrics {

    private final Timer fullSyncs;
    private final Timer partialSyncs;
    private final Counter failures;
    private final AtomicLong rules = new AtomicLong();
    private final AtomicLong elements = new AtomicLong();
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();

    ServiceProxyMetrics(MeterRegistry registry) {
        fullSyncs = timer(registry, "full");
        partialSyncs = timer(registry, "partial");
        failures = Counter.builder("knet_proxy_sync_failures").description("syncs whose nft transaction failed").register(registry);
        Gauge.builder("knet_proxy_rules", rules, AtomicLong::get).description("rules in the services table").register(registry);
        Gauge.builder("knet_proxy_map_elements", elements, AtomicLong::get).description("set and map elements in the services table").register(registry);
        Gauge.builder("knet_proxy_last_successful_sync_seconds", lastSuccessEpochSeconds, AtomicLong::get)
                .description("unix time of the last successful sync").register(registry);
    }

    private static Timer timer(MeterRegistry registry, String kind) {
        return Timer.builder("knet_proxy_sync_duration").tag("kind", kind).publishPercentileHistogram()
                .description("time to generate and apply one sync").register(registry);
    }

    void success(boolean full, Duration took, long ruleCount, long elementCount, long epochSeconds) {
        (full ? fullSyncs : partialSyncs).record(took);
        rules.set(ruleCount);
        elements.set(elementCount);
        lastSuccessEpochSeconds.set(epochSeconds);
    }

    void failure() {
        failures.increment();
    }
}
