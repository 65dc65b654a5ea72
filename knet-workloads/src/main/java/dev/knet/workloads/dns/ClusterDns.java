package dev.knet.workloads.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.metrics.DnsMetrics;
import dev.knet.dns.metrics.MetricsHttpServer;
import dev.knet.dns.server.DnsServer;
import dev.knet.workloads.Workload;
import dev.knet.workloads.WorkloadException;
import dev.knet.workloads.pod.PodContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The cluster DNS pod, as CoreDNS runs in kube-system: knet's DNS server on port 53 in the pod,
 * fed by list/watch of Services, EndpointSlices, Pods and Namespaces from the API server named by
 * KNET_API_URL. The watches run outside the pod (they reach the API on the host's loopback); only
 * the server's sockets live in the pod's namespace.
 */
public final class ClusterDns implements Workload {

    public static final String API_URL_ENV = "KNET_API_URL";
    /** Where the pod serves Prometheus metrics, as CoreDNS's prometheus plugin does (GET /metrics). */
    public static final int METRICS_PORT = 9153;

    private final Map<String, String> env;
    private final CompletableFuture<Integer> termination = new CompletableFuture<>();
    private ClusterDnsFeed feed;
    private DnsServer server;
    private MetricsHttpServer metricsServer;

    public ClusterDns(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String description() {
        return "cluster DNS (knet) for cluster.local, fed from " + env.getOrDefault(API_URL_ENV, "<no API>");
    }

    @Override
    public void start(PodContext ctx) throws WorkloadException {
        String api = env.get(API_URL_ENV);
        if (api == null || api.isBlank()) {
            throw new WorkloadException("the cluster DNS container needs " + API_URL_ENV + " (the API server's URL)");
        }
        ClusterDnsIndex index = new ClusterDnsIndex(ZoneSettings.defaults());
        feed = ClusterDnsFeed.start(api, index);
        try {
            server = serve(ctx, index::snapshot, List.of());
            metricsServer = serveMetrics(ctx, server.metrics());
        } catch (WorkloadException e) {
            stop();
            throw e;
        }
    }

    /**
     * Starts knet's DNS server on port 53 of the pod's listen address, its sockets (and those it
     * uses to reach {@code upstreams}) created inside the pod's network namespace, answering from
     * {@code zone}. The cluster DNS pod feeds it from watches; tests may feed it any zone.
     */
    public static DnsServer serve(PodContext ctx, Supplier<ZoneSnapshot> zone, List<InetSocketAddress> upstreams)
            throws WorkloadException {
        try {
            return ctx.sockets().inNetns("dns server", () -> DnsServer.builder().zone(zone).upstreams(upstreams)
                    .listen(new InetSocketAddress(ctx.listenAddress(), 53)).threads(1).build().start());
        } catch (IOException e) {
            throw new WorkloadException("cannot serve DNS on port 53: " + e.getMessage(), e);
        }
    }

    /** Serves the server's query counts and latency histogram on port 9153 of the pod. */
    public static MetricsHttpServer serveMetrics(PodContext ctx, DnsMetrics metrics) throws WorkloadException {
        try {
            return ctx.sockets().inNetns("dns metrics", () -> new MetricsHttpServer(
                    new InetSocketAddress(ctx.listenAddress(), METRICS_PORT), metrics));
        } catch (IOException e) {
            throw new WorkloadException("cannot serve DNS metrics on port " + METRICS_PORT + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Integer> termination() {
        return termination;
    }

    @Override
    public synchronized void stop() {
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (server != null) {
            server.close();
        }
        if (feed != null) {
            feed.close();
        }
        termination.complete(0);
    }
}
