package dev.knet.dns.metrics;

import dev.knet.dns.index.RecordTypes;
import dev.knet.dns.wire.Rcode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Query counters by type, rcode and transport, a latency histogram, and the Prometheus text the
 * lead exposes at /metrics ({@link #scrape()}).
 */
public final class DnsMetrics {

    private final PrometheusMeterRegistry registry;
    private final Map<QueryLabels, Counter> queries = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    private record QueryLabels(String type, int rcode, String transport) {
    }

    public DnsMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public DnsMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Records one answered query; rcode is the full (extended) code. Meters are looked up once per
     * label set and kept: building and registering them per query cost as much as answering it.
     */
    public void answered(int qtype, int rcode, String transport, long nanos) {
        String type = RecordTypes.name(qtype);
        if (type.startsWith("TYPE")) {
            type = "other"; // keep label cardinality bounded under fuzzing
        }
        queries.computeIfAbsent(new QueryLabels(type, rcode, transport), this::queryCounter).increment();
        durations.computeIfAbsent(transport, this::durationTimer).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter queryCounter(QueryLabels labels) {
        return Counter.builder("knet_dns_queries")
                .description("DNS queries answered, by question type, response code and transport")
                .tag("type", labels.type())
                .tag("rcode", Rcode.name(labels.rcode()))
                .tag("transport", labels.transport())
                .register(registry);
    }

    private Timer durationTimer(String transport) {
        return Timer.builder("knet_dns_request_duration")
                .description("Time from receiving a query to handing its response to the transport")
                .tag("transport", transport)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    /** Packets that got no answer at all (unreadable, or responses sent to the server). */
    public void dropped(String transport) {
        Counter.builder("knet_dns_dropped_packets")
                .description("Packets dropped without an answer")
                .tag("transport", transport)
                .register(registry)
                .increment();
    }

    public void forwardFailed() {
        Counter.builder("knet_dns_upstream_failures").description("Upstream forwards that timed out or failed")
                .register(registry).increment();
    }

    /** The Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }
}
