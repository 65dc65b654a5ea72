package dev.knet.proxy.server;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy on loopback in front of echo backends: routing, answers it gives itself, forwarding. */
class ProxyRoutingTest {

    private static final String ROUTES = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: default}
            spec:
              rules:
              - host: foo.example.com
                http:
                  paths:
                  - {path: /app, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
                  - {path: /exact, pathType: Exact, backend: {service: {name: exact, port: {name: http}}}}
                  - {path: /empty, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}
                  - {path: /lb, pathType: Prefix, backend: {service: {name: lb, port: {number: 80}}}}
                  - {path: /refused, pathType: Prefix, backend: {service: {name: refused, port: {number: 80}}}}
                  - {path: /hang, pathType: Exact, backend: {service: {name: app, port: {number: 80}}}}
              - host: "*.wild.example.com"
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: wild, port: {number: 80}}}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              gatewayClassName: knet
              listeners: [{name: http, port: 80, protocol: HTTP, hostname: gw.example.com}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r, namespace: default}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /redirect}}]
                filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
              - matches: [{path: {type: PathPrefix, value: /old}}]
                filters:
                - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}
                - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Added, value: yes}], remove: [X-Drop]}}
                - {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Resp, value: r1}]}}
                backendRefs: [{name: app, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /broken}}]
            """;

    private static final List<EchoBackend> backends = new ArrayList<>();
    private static EchoBackend app;
    private static IngressProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.PARANOID);
        app = backend("app");
        FakeEndpoints endpoints = new FakeEndpoints()
                .set("default/app", List.of(app.address()))
                .set("default/exact", List.of(backend("exact").address()))
                .set("default/wild", List.of(backend("wild").address()))
                .set("default/refused", List.of(freePort()));
        List<InetSocketAddress> lb = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lb.add(backend("lb-" + i).address());
        }
        endpoints.set("default/lb", lb);
        proxy = IngressProxy.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .endpoints(endpoints)
                .settings(ProxySettings.defaults().withUpstreamTimeout(Duration.ofSeconds(3)))
                .threads(2)
                .build().start();
        List<HasMetadata> objects = Manifests.parse(ROUTES, "routes");
        proxy.updateRoutes(objects.subList(0, 1), objects.subList(1, 2), objects.subList(2, 3), List.of(), List.of());
    }

    private static EchoBackend backend(String name) throws IOException {
        EchoBackend b = new EchoBackend(name);
        backends.add(b);
        return b;
    }

    private static InetSocketAddress freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(EchoBackend::close);
    }

    private static RawHttp.Response get(String host, String target) throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            return http.exchange(RawHttp.get(host, target));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            prefix path                     | foo.example.com      | /app/x?q=1    | 200 | app GET /app/x?q=1
            exact path                      | foo.example.com      | /exact        | 200 | exact GET /exact
            exact path, other path          | foo.example.com      | /exact/more   | 404 | no route: no Ingress rule matches host 'foo.example.com' path '/exact/more'
            host with port                  | foo.example.com:8080 | /app          | 200 | app GET /app
            wildcard host                   | a.wild.example.com   | /z            | 200 | wild GET /z
            wildcard covers one label only  | a.b.wild.example.com | /z            | 404 | no route: no Ingress rule matches host 'a.b.wild.example.com' path '/z'
            no endpoints                    | foo.example.com      | /empty        | 503 | no healthy endpoints for service default/empty
            httproute rewrite               | gw.example.com       | /old/page?a=b | 200 | app GET /new/page?a=b
            httproute without backends      | gw.example.com       | /broken       | 500 | route httproute/default/r/rule2: rule has no backend with a weight above 0
            """)
    void routes(String name, String host, String target, int status, String firstLine) throws IOException {
        RawHttp.Response response = get(host, target);
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().lines().findFirst()).contains(firstLine);
    }

    @Test
    void forwardsHostAndXForwardedHeaders() throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            http.exchange("GET /app HTTP/1.1\r\nHost: foo.example.com\r\nX-Forwarded-For: 192.0.2.7\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\n\r\n");
        }
        assertThat(app.lastHeaders).containsEntry("host", "foo.example.com")
                .containsEntry("x-forwarded-for", "192.0.2.7, 127.0.0.1")
                .containsEntry("x-forwarded-proto", "http")
                .containsEntry("x-forwarded-host", "foo.example.com")
                .doesNotContainKey("x-secret");
    }

    @Test
    void appliesHeaderFilters() throws IOException {
        RawHttp.Response response;
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            response = http.exchange("GET /old HTTP/1.1\r\nHost: gw.example.com\r\nX-Drop: d\r\n\r\n");
        }
        assertThat(response.body()).startsWith("app GET /new\n");
        assertThat(app.lastHeaders).containsEntry("x-added", "yes").doesNotContainKey("x-drop");
        assertThat(response.header("X-Resp")).isEqualTo("r1");
    }

    @Test
    void redirects() throws IOException {
        RawHttp.Response response = get("gw.example.com:8080", "/redirect/x");
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("https://gw.example.com/redirect/x");
    }

    @Test
    void keepAliveReusesClientAndEndpointConnections() throws IOException {
        int before = app.clientPorts.size();
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            for (int i = 0; i < 5; i++) {
                assertThat(http.exchange(RawHttp.get("foo.example.com", "/app/" + i)).status()).isEqualTo(200);
            }
        }
        List<Integer> ports = app.clientPorts.subList(before, app.clientPorts.size());
        assertThat(ports).hasSize(5);
        // sequential requests on one client connection run on one event loop: one pooled endpoint connection
        assertThat(new HashSet<>(ports)).hasSize(1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            // the first waits for the upstream timeout, the second would be answered at once
            http.send(RawHttp.get("foo.example.com", "/hang") + RawHttp.get("foo.example.com", "/app/second"));
            assertThat(http.read().status()).isEqualTo(504);
            RawHttp.Response second = http.read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).startsWith("app GET /app/second\n");
        }
    }

    @Test
    void writesOneAccessLogLinePerRequest() throws IOException {
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("knet.access");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            get("foo.example.com", "/app/logged");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(lines.list).map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                            .filteredOn(l -> l.contains("/app/logged"))
                            .singleElement().asString()
                            .startsWith("127.0.0.1 \"GET /app/logged HTTP/1.1\" 200 ")
                            .contains("host=foo.example.com route=ingress/default/web upstream=127.0.0.1:"));
        } finally {
            access.detachAppender(lines);
        }
    }

    @Test
    void clientConnectionCloseIsHonoured() throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            RawHttp.Response response = http.exchange("GET /app HTTP/1.1\r\nHost: foo.example.com\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void headKeepsTheEndpointsContentLength() throws IOException {
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            RawHttp.Response head = http.exchange("HEAD /app HTTP/1.1\r\nHost: foo.example.com\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(app.lastHeaders.isEmpty() ? "?" : head.header("Content-Length"))
                    .isNotEqualTo("0");
            assertThat(http.exchange(RawHttp.get("foo.example.com", "/app")).status()).isEqualTo(200);
        }
    }

    @Test
    void balancesOverEveryEndpoint() throws IOException {
        Set<String> seen = new HashSet<>();
        try (RawHttp http = new RawHttp(proxy.httpAddress())) {
            for (int i = 0; i < 20; i++) {
                RawHttp.Response response = http.exchange(RawHttp.get("foo.example.com", "/lb"));
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                seen.add(response.header("X-Backend"));
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("lb-0", "lb-1", "lb-2", "lb-3", "lb-4");
    }

    @Test
    void refusedEndpointIs502() throws IOException {
        RawHttp.Response response = get("foo.example.com", "/refused");
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.body()).contains("of service default/refused").contains("connection refused");
    }

    @Test
    void slowEndpointIs504AndOthersAreStillServed() throws IOException {
        RawHttp.Response response = get("foo.example.com", "/hang");
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).contains("no response within 3000 ms");
        assertThat(get("foo.example.com", "/app").status()).isEqualTo(200);
    }

    @Test
    void metricsCountRequestsByRouteAndCode() throws IOException {
        get("foo.example.com", "/exact");
        get("nowhere.example.com", "/");
        String metrics = proxy.scrapeMetrics();
        assertThat(metrics).contains("knet_proxy_requests_total{code=\"200\",route=\"ingress/default/web\"}")
                .contains("knet_proxy_requests_total{code=\"404\",route=\"none\"}")
                .contains("knet_proxy_request_duration_seconds_bucket{route=\"ingress/default/web\"");
    }
}
