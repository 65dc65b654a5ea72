package dev.knet.proxy.route;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.knet.proxy.route.GatewayFixtures.GATEWAY;
import static dev.knet.proxy.route.GatewayFixtures.backendOf;
import static dev.knet.proxy.route.GatewayFixtures.request;
import static dev.knet.proxy.route.GatewayFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/** Each HTTPRoute match type, hostnames and listener intersection. */
class GatewayMatchTest {

    private static final RouteTable TABLE = GatewayFixtures.table(GATEWAY, route("matches", "2024-01-01T00:00:00Z", """
            hostnames: ["example.com", "*.wild.com"]
            rules:
            - matches: [{path: {type: Exact, value: /exact}}]
              backendRefs: [{name: exact, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /prefix/}}]
              backendRefs: [{name: prefix, port: 8080}]
            - matches: [{path: {type: RegularExpression, value: "/re/[0-9]+"}}]
              backendRefs: [{name: regex, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /h}, headers: [{name: X-Version, value: v2}]}]
              backendRefs: [{name: header-exact, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /h}, headers: [{name: x-env, type: RegularExpression, value: "prod-.*"}]}]
              backendRefs: [{name: header-regex, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /q}, queryParams: [{name: animal, value: whale}]}]
              backendRefs: [{name: query, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /m}, method: POST}]
              backendRefs: [{name: method, port: 8080}]
            """));

    record Row(String name, String method, String host, String target, Map<String, List<String>> headers,
               String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("exact path", "GET", "example.com", "/exact", Map.of(), "exact"),
                new Row("exact path rejects trailing slash", "GET", "example.com", "/exact/", Map.of(), "404"),
                new Row("prefix ignores trailing slash of the rule", "GET", "example.com", "/prefix", Map.of(), "prefix"),
                new Row("prefix covers deeper paths", "GET", "example.com", "/prefix/a/b", Map.of(), "prefix"),
                new Row("prefix is element-wise", "GET", "example.com", "/prefixes", Map.of(), "404"),
                new Row("regex full match", "GET", "example.com", "/re/123", Map.of(), "regex"),
                new Row("regex must match whole path", "GET", "example.com", "/re/123/x", Map.of(), "404"),
                new Row("header exact, name case-insensitive", "GET", "example.com", "/h",
                        Map.of("x-version", List.of("v2")), "header-exact"),
                new Row("header exact value is case-sensitive", "GET", "example.com", "/h",
                        Map.of("X-Version", List.of("V2")), "404"),
                new Row("header regex", "GET", "example.com", "/h", Map.of("X-Env", List.of("prod-eu")), "header-regex"),
                new Row("query param", "GET", "example.com", "/q?animal=whale", Map.of(), "query"),
                new Row("query param other value", "GET", "example.com", "/q?animal=dolphin", Map.of(), "404"),
                new Row("method POST", "POST", "example.com", "/m", Map.of(), "method"),
                new Row("method GET does not match POST", "GET", "example.com", "/m", Map.of(), "404"),
                new Row("host with port", "GET", "example.com:8080", "/exact", Map.of(), "exact"),
                new Row("wildcard hostname covers several labels", "GET", "a.b.wild.com", "/exact", Map.of(), "exact"),
                new Row("wildcard does not cover the bare domain", "GET", "wild.com", "/exact", Map.of(), "404"),
                new Row("other host", "GET", "other.com", "/exact", Map.of(), "404"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matches(Row row) {
        assertThat(backendOf(TABLE.match(request(row.method(), row.host(), row.target(), row.headers()))))
                .isEqualTo(row.expected());
    }

    static Stream<Arguments> listenerRows() {
        return Stream.of(
                Arguments.of("listener exact, route none -> listener host", "foo.example.com", "[]", "foo.example.com", "svc"),
                Arguments.of("listener exact, route none, other host", "foo.example.com", "[]", "bar.example.com", "404"),
                Arguments.of("listener wildcard, route exact inside", "\"*.example.com\"", "[a.example.com]", "a.example.com", "svc"),
                Arguments.of("listener wildcard, route exact outside: not attached", "\"*.example.com\"", "[a.other.com]", "a.other.com", "404"),
                Arguments.of("listener exact, route wildcard covering it", "a.example.com", "[\"*.example.com\"]", "a.example.com", "svc"),
                Arguments.of("listener exact, route wildcard: only listener host", "a.example.com", "[\"*.example.com\"]", "b.example.com", "404"),
                Arguments.of("two wildcards: the narrower", "\"*.example.com\"", "[\"*.b.example.com\"]", "x.b.example.com", "svc"),
                Arguments.of("two wildcards: outside the narrower", "\"*.example.com\"", "[\"*.b.example.com\"]", "x.c.example.com", "404"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listenerRows")
    void listenerHostnameIntersection(String name, String listenerHost, String routeHosts, String requestHost,
                                      String expected) {
        String gateway = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: same-namespace, namespace: infra}
                spec:
                  gatewayClassName: knet
                  listeners:
                  - {name: http, port: 80, protocol: HTTP, hostname: %s}
                """.formatted(listenerHost);
        RouteTable table = GatewayFixtures.table(gateway, route("r", "2024-01-01T00:00:00Z", """
                hostnames: %s
                rules:
                - backendRefs: [{name: svc, port: 80}]
                """.formatted(routeHosts)));
        assertThat(backendOf(table.match(GatewayFixtures.get(requestHost, "/")))).isEqualTo(expected);
    }
}
