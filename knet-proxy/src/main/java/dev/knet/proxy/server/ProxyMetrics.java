package dev.knet.proxy.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Prometheus metrics: knet_proxy_requests_total{route,code} and the latency histogram
 * knet_proxy_request_duration_seconds{route}. Meters are cached per route, counters in an array
 * indexed by status code, so recording a request allocates nothing and does one map lookup.
 */
final class ProxyMetrics {

    private static final int MAX_CODE = 600;

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();

    ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String route, int status, long nanos) {
        RouteMeters meters = routes.get(route);
        if (meters == null) {
            meters = routes.computeIfAbsent(route, RouteMeters::new);
        }
        meters.counter(status).increment();
        meters.timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private final class RouteMeters {
        final String route;
        final Timer timer;
        // registering twice under a race is harmless: the registry hands back the same meter
        final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(MAX_CODE);

        RouteMeters(String route) {
            this.route = route;
            this.timer = Timer.builder("knet.proxy.request.duration")
                    .description("time from a whole request to its response")
                    .tag("route", route)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
        }

        Counter counter(int code) {
            if (code < 0 || code >= MAX_CODE) {
                return register(code);
            }
            Counter c = counters.get(code);
            if (c == null) {
                c = register(code);
                counters.set(code, c);
            }
            return c;
        }

        private Counter register(int code) {
            return Counter.builder("knet.proxy.requests")
                    .description("requests answered, by route and status code")
                    .tag("route", route).tag("code", Integer.toString(code))
                    .register(registry);
        }
    }
}
