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
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Query counters by type, rcode and transport, a latency histogram, and the Prometheus text the
 * lead exposes at /metrics ({@link #scrape()}).
 */
public final class DnsMetrics {

    /** Question types with their own label; every other type counts as "other". */
    private static final int[] LABELLED_TYPES = {RecordTypes.A, RecordTypes.NS, RecordTypes.CNAME, RecordTypes.SOA,
            RecordTypes.PTR, 15, RecordTypes.TXT, RecordTypes.AAAA, RecordTypes.SRV, RecordTypes.OPT, 65, RecordTypes.ANY};
    private static final int TYPE_SLOTS = LABELLED_TYPES.length + 1;
    private static final int RCODE_SLOTS = 32;

    private final PrometheusMeterRegistry registry;
    private final Map<QueryLabels, Counter> queries = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    /**
     * The counters of UDP and TCP queries by type slot and rcode, filled on first use: the per-query
     * path then reads an array instead of building a label key and hashing it.
     */
    private final AtomicReferenceArray<Counter> fastQueries = new AtomicReferenceArray<>(2 * TYPE_SLOTS * RCODE_SLOTS);
    private volatile Timer udpTimer;
    private volatile Timer tcpTimer;

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
        int t = "udp".equals(transport) ? 0 : "tcp".equals(transport) ? 1 : -1;
        if (t < 0 || rcode < 0 || rcode >= RCODE_SLOTS) {
            answeredSlowly(qtype, rcode, transport, nanos);
            return;
        }
        int slot = (t * TYPE_SLOTS + typeSlot(qtype)) * RCODE_SLOTS + rcode;
        Counter counter = fastQueries.get(slot);
        if (counter == null) {
            counter = queries.computeIfAbsent(new QueryLabels(typeLabel(qtype), rcode, transport), this::queryCounter);
            fastQueries.set(slot, counter);
        }
        counter.increment();
        Timer timer = t == 0 ? udpTimer : tcpTimer;
        if (timer == null) {
            timer = durations.computeIfAbsent(transport, this::durationTimer);
            if (t == 0) {
                udpTimer = timer;
            } else {
                tcpTimer = timer;
            }
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static int typeSlot(int qtype) {
        for (int i = 0; i < LABELLED_TYPES.length; i++) {
            if (LABELLED_TYPES[i] == qtype) {
                return i;
            }
        }
        return LABELLED_TYPES.length;
    }

    private static String typeLabel(int qtype) {
        String type = RecordTypes.name(qtype);
        return type.startsWith("TYPE") ? "other" : type; // keep label cardinality bounded under fuzzing
    }

    private void answeredSlowly(int qtype, int rcode, String transport, long nanos) {
        queries.computeIfAbsent(new QueryLabels(typeLabel(qtype), rcode, transport), this::queryCounter).increment();
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
