package dev.knet.proxy.server;

import dev.knet.model.Manifests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed, oversized and slow clients get a clear answer or are cut, and others keep being served. */
class ProxyBadRequestTest {

    private static EchoBackend app;
    private static IngressProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.PARANOID);
        app = new EchoBackend("app");
        proxy = IngressProxy.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .endpoints(new FakeEndpoints().set("default/app", List.of(app.address())))
                .settings(ProxySettings.defaults().withRequestTimeout(Duration.ofSeconds(1)).withMaxRequestBody(1024))
                .threads(2)
                .build().start();
        proxy.updateRoutes(Manifests.parse("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: all, namespace: default}
                spec:
                  defaultBackend: {service: {name: app, port: {number: 80}}}
                """, "ingress"), List.of(), List.of(), List.of(), List.of());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void othersAreStillServed() throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            assertThat(http.exchange(RawHttp.get("x", "/ok")).status()).isEqualTo(200);
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("malformed request line", "GARBAGE\r\n\r\n", 400),
                Arguments.of("unknown HTTP version", "GET / HTTP/7.1\r\nHost: x\r\n\r\n", 505),
                Arguments.of("oversized header block", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431),
                Arguments.of("oversized request line", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("body over the buffer limit", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                        + "b".repeat(5000), 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void answersAndCloses(String name, String raw, int status) throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            RawHttp.Response response = http.exchange(raw);
            assertThat(response.status()).isEqualTo(status);
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void slowClientIsCutWith408WhileOthersAreServed() throws IOException {
        try (RawHttp slow = new RawHttp(proxy.httpAddress())) {
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\nX-Partial: ");
            try (RawHttp other = new RawHttp(proxy.httpAddress())) {
                assertThat(other.exchange(RawHttp.get("x", "/meanwhile")).status()).isEqualTo(200);
            }
            RawHttp.Response cut = slow.read();
            assertThat(cut.status()).isEqualTo(408);
            assertThat(slow.closedByPeer()).isTrue();
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheDeadline() throws IOException {
        try (RawHttp idle = new RawHttp(proxy.httpAddress())) {
            assertThat(idle.exchange(RawHttp.get("x", "/first")).status()).isEqualTo(200);
            assertThat(idle.closedByPeer()).isTrue();
        }
    }

    @Test
    void bodyWithinTheLimitIsForwarded() throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            RawHttp.Response response = http.exchange("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "c".repeat(1000));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("app POST /post\n").contains("content-length: 1000");
        }
    }
}
