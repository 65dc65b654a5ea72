package dev.knet.proxy.route;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.knet.proxy.route.GatewayFixtures.GATEWAY;
import static dev.knet.proxy.route.GatewayFixtures.backendOf;
import static dev.knet.proxy.route.GatewayFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/** The Gateway API precedence between rules that all match a request. */
class GatewayPrecedenceTest {

    private static String rule(String match, String backend) {
        return "- matches: [" + match + "]\n  backendRefs: [{name: " + backend + ", port: 80}]\n";
    }

    static Stream<Arguments> rows() {
        Map<String, List<String>> twoHeaders = Map.of("a", List.of("1"), "b", List.of("2"));
        return Stream.of(
                Arguments.of("exact beats a longer prefix", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {type: PathPrefix, value: /a/b/c}}", "prefix")
                                + rule("{path: {type: Exact, value: /a/b/c}}", "exact"))),
                        "/a/b/c", "GET", Map.of(), "exact"),
                Arguments.of("longest prefix wins", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {type: PathPrefix, value: /a}}", "short")
                                + rule("{path: {type: PathPrefix, value: /a/b}}", "long"))),
                        "/a/b/c", "GET", Map.of(), "long"),
                Arguments.of("method beats headers", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {value: /}, headers: [{name: a, value: '1'}, {name: b, value: '2'}]}", "headers")
                                + rule("{path: {value: /}, method: GET}", "method"))),
                        "/x", "GET", twoHeaders, "method"),
                Arguments.of("more headers win", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {value: /}, headers: [{name: a, value: '1'}]}", "one")
                                + rule("{path: {value: /}, headers: [{name: a, value: '1'}, {name: b, value: '2'}]}", "two"))),
                        "/x", "GET", twoHeaders, "two"),
                Arguments.of("headers beat query params", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {value: /}, queryParams: [{name: q, value: '1'}]}", "query")
                                + rule("{path: {value: /}, headers: [{name: a, value: '1'}]}", "header"))),
                        "/x?q=1", "GET", twoHeaders, "header"),
                Arguments.of("more query params win", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {value: /}, queryParams: [{name: q, value: '1'}]}", "one")
                                + rule("{path: {value: /}, queryParams: [{name: q, value: '1'}, {name: r, value: '2'}]}", "two"))),
                        "/x?q=1&r=2", "GET", Map.of(), "two"),
                Arguments.of("oldest route wins a tie", List.of(
                        route("aaa-newer", "2024-06-01T00:00:00Z", "rules:\n" + rule("{path: {value: /}}", "newer")),
                        route("zzz-older", "2024-01-01T00:00:00Z", "rules:\n" + rule("{path: {value: /}}", "older"))),
                        "/x", "GET", Map.of(), "older"),
                Arguments.of("alphabetical namespace/name on equal age", List.of(
                        route("bbb", "2024-01-01T00:00:00Z", "rules:\n" + rule("{path: {value: /}}", "second")),
                        route("aaa", "2024-01-01T00:00:00Z", "rules:\n" + rule("{path: {value: /}}", "first"))),
                        "/x", "GET", Map.of(), "first"),
                Arguments.of("first rule within a route on a full tie", List.of(
                        route("r", "2024-01-01T00:00:00Z", "rules:\n"
                                + rule("{path: {value: /}}", "first") + rule("{path: {value: /}}", "second"))),
                        "/x", "GET", Map.of(), "first"),
                Arguments.of("exact hostname beats wildcard, whatever the path", List.of(
                        route("wild", "2024-01-01T00:00:00Z", "hostnames: ['*.example.com']\nrules:\n"
                                + rule("{path: {type: Exact, value: /x}}", "wildcard")),
                        route("exact", "2024-06-01T00:00:00Z", "hostnames: [a.example.com]\nrules:\n"
                                + rule("{path: {value: /}}", "exact-host"))),
                        "/x", "GET", Map.of(), "exact-host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void precedence(String name, List<String> routes, String target, String method,
                    Map<String, List<String>> headers, String expected) {
        String[] docs = Stream.concat(Stream.of(GATEWAY), routes.stream()).toArray(String[]::new);
        RouteTable table = GatewayFixtures.table(docs);
        RouteResult result = table.match(GatewayFixtures.request(method, "a.example.com", target, headers));
        assertThat(backendOf(result)).isEqualTo(expected);
    }
}
