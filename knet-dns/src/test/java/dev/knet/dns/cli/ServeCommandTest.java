package dev.knet.dns.cli;

import dev.knet.dns.TestDnsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code knet dns serve -f DIR}: the records manifests define, served on loopback with metrics, no lab. */
class ServeCommandTest {

    private static final Pattern SERVING = Pattern.compile(
            "serving cluster\\.local \\((\\d+) names from (\\d+) objects\\) on 127\\.0\\.0\\.1:(\\d+) udp\\+tcp, "
                    + "metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir
    Path dir;

    @Test
    void servesTheManifestsRecordsAndItsMetricsUntilStopped() throws Exception {
        Files.writeString(dir.resolve("svc.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: reviews, namespace: default}
                spec:
                  clusterIP: 10.96.0.13
                  ports: [{name: http, port: 9080}]
                """);
        StringWriter printed = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = Thread.ofPlatform().start(() -> exit.set(new CommandLine(new ServeCommand())
                .setOut(new PrintWriter(printed, true)).execute("-f", dir.toString(), "--listen", "127.0.0.1:0",
                        "--metrics-listen", "127.0.0.1:0")));
        try {
            Matcher m = await("serving").atMost(Duration.ofSeconds(30))
                    .until(() -> SERVING.matcher(printed.toString()), Matcher::find);
            assertThat(m.group(2)).isEqualTo("1");
            TestDnsClient client = new TestDnsClient(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(3))));

            assertThat(client.udp("reviews.default.svc.cluster.local.", 1, 1232).answers())
                    .extracting(TestDnsClient.Rr::data).containsExactly("10.96.0.13");
            assertThat(client.tcp("_http._tcp.reviews.default.svc.cluster.local.", 33).answers()).hasSize(1);
            assertThat(client.udp("details.default.svc.cluster.local.", 1, 1232).rcode()).as("NXDOMAIN").isEqualTo(3);

            try (HttpClient http = HttpClient.newHttpClient()) {
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(4) + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("knet_dns_queries_total{").contains("rcode=\"NXDOMAIN\"")
                        .contains("knet_dns_request_duration_seconds_bucket{");
            }
        } finally {
            serving.interrupt();
            serving.join(Duration.ofSeconds(30));
        }
        assertThat(serving.isAlive()).as("the command returns once stopped").isFalse();
    }

    @Test
    void anInvalidManifestIsAClearErrorAndNothingIsServed() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: [1, 2]\n");
        StringWriter err = new StringWriter();

        int code = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err, true))
                .execute("-f", dir.toString(), "--listen", "127.0.0.1:0");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("bad.yaml");
    }
}
