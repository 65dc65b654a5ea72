package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Serves on an ephemeral loopback port: no namespace, no other address. */
class MetricsServerTest {

    @Test
    void scrapeShowsTheProxysSyncMeters() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceProxyMetrics metrics = new ServiceProxyMetrics(registry);
        metrics.success(true, Duration.ofMillis(12), 40, 1234, 1_700_000_000L);
        metrics.failure();
        try (MetricsServer server = MetricsServer.start(registry, Optional.empty(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create(base + MetricsServer.PATH)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(base + "/other")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body())
                    .contains("knet_proxy_sync_duration_seconds_bucket{kind=\"full\"")
                    .contains("knet_proxy_sync_duration_seconds_count{kind=\"full\"} 1")
                    .contains("knet_proxy_rules 40")
                    .contains("knet_proxy_map_elements 1234")
                    .containsPattern("knet_proxy_last_successful_sync_seconds 1\\.7E9")
                    .contains("knet_proxy_sync_failures_total 1");
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }
}
