package dev.knet.agent.services;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's Prometheus endpoint: {@code GET /metrics} in the text exposition format (kube-proxy serves the
 * same on port {@link #DEFAULT_PORT}). The service proxy's meters are {@code knet_proxy_sync_duration_seconds}
 * (histogram, tag kind=full|partial), {@code knet_proxy_rules}, {@code knet_proxy_map_elements},
 * {@code knet_proxy_last_successful_sync_seconds} and {@code knet_proxy_sync_failures_total}.
 */
public final class MetricsServer implements AutoCloseable {

    /** kube-proxy's metrics port. */
    public static final int DEFAULT_PORT = 10249;
    public static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("knet-metrics").daemon().factory());
    private final NodeHttpListener listener;

    private MetricsServer(PrometheusMeterRegistry registry, Optional<String> netns, InetSocketAddress address) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listener = NodeHttpListener.start(netns, address, this::answer, executor);
    }

    /** Serves {@code registry} on {@code address} inside {@code netns} (a lab node), or where the process runs. */
    public static MetricsServer start(PrometheusMeterRegistry registry, Optional<String> netns, InetSocketAddress address) {
        return new MetricsServer(registry, netns, address);
    }

    public int port() {
        return listener.port();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean found = PATH.equals(exchange.getRequestURI().getPath());
            byte[] body = (found ? registry.scrape() : "not found: try " + PATH + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", found ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
            exchange.sendResponseHeaders(found ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        listener.close();
        executor.shutdownNow();
    }
}
