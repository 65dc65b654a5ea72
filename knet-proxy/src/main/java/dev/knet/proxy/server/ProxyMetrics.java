package dev.knet.proxy.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics: knet_proxy_requests_total{route,code} and the latency histogram
 * knet_proxy_request_duration_seconds{route}. Meters are cached so the hot path is one map lookup.
 */
final class ProxyMetrics {

    private record CounterKey(String route, int code) {
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String route, int status, long nanos) {
        counters.computeIfAbsent(new CounterKey(route, status), k -> Counter.builder("knet.proxy.requests")
                .description("requests answered, by route and status code")
                .tag("route", k.route()).tag("code", Integer.toString(k.code()))
                .register(registry)).increment();
        timers.computeIfAbsent(route, r -> Timer.builder("knet.proxy.request.duration")
                .description("time from a whole request to its response")
                .tag("route", r)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(Duration.ofNanos(nanos));
    }
}
