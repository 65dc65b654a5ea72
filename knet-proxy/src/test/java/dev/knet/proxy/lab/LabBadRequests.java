package dev.knet.proxy.lab;

import dev.knet.model.Manifests;
import dev.knet.proxy.route.RouteOptions;
import dev.knet.proxy.route.RouteTable;
import dev.knet.proxy.server.IngressProxy;
import dev.knet.proxy.server.RawHttp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad clients against the lab proxy while a well-behaved client keeps a keep-alive connection
 * busy: each bad one gets its 4xx (or is cut at the request deadline) and closed, and the good
 * client sees only 200s throughout.
 */
final class LabBadRequests {

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: keep, namespace: default}
            spec:
              defaultBackend: {service: {name: echo-service, port: {number: 8080}}}
            """;

    /** name, bytes sent (never a whole request for the stalled row), the status expected before the close. */
    private record Row(String name, String raw, int status) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("malformed request line", "GARBAGE\r\n\r\n", 400),
            new Row("oversized header block", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431),
            new Row("oversized request line", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            new Row("unknown HTTP version", "GET / HTTP/3.7\r\nHost: x\r\n\r\n", 505),
            new Row("slow client stalls in its headers", "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 408));

    private LabBadRequests() {
    }

    static void run(IngressProxy proxy, String clientNs) throws Exception {
        proxy.updateRoutes(RouteTable.compile(Manifests.parse(INGRESS, "keep"), RouteOptions.defaults()), List.of());
        InetSocketAddress address = new InetSocketAddress(IngressLabTest.PROXY, 80);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread keeper = Thread.ofPlatform().name("lab-good-client").start(() -> {
            try (RawHttp good = new RawHttp(LabNamespaces.connect(clientNs, address))) {
                while (!stop.get()) {
                    RawHttp.Response r = good.exchange(RawHttp.get("good.test", "/keep"));
                    if (r.status() != 200) {
                        failure.compareAndSet(null, "good client got " + r.status() + ": " + r.body());
                        return;
                    }
                    served.incrementAndGet();
                }
            } catch (Exception e) {
                failure.compareAndSet(null, "good client failed: " + e);
            }
        });
        try {
            await().until(() -> served.get() > 0 || failure.get() != null);
            for (Row row : ROWS) {
                int before = served.get();
                try (Socket socket = LabNamespaces.connect(clientNs, address); RawHttp bad = new RawHttp(socket)) {
                    bad.send(row.raw());
                    RawHttp.Response response = bad.read();
                    assertThat(response.status()).as(row.name()).isEqualTo(row.status());
                    assertThat(closed(bad)).as(row.name() + ": connection closed after the answer").isTrue();
                }
                // the good client went on while this one was refused
                await().until(() -> served.get() > before || failure.get() != null);
                assertThat(failure.get()).as(row.name()).isNull();
            }
        } finally {
            stop.set(true);
            keeper.join(20_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(served.get()).isGreaterThan(ROWS.size());
    }

    private static boolean closed(RawHttp http) throws IOException {
        return http.closedByPeer();
    }
}
