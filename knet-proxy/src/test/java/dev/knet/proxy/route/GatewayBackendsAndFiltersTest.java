package dev.knet.proxy.route;

import dev.knet.model.Manifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.knet.proxy.route.GatewayFixtures.GATEWAY;
import static dev.knet.proxy.route.GatewayFixtures.backendOf;
import static dev.knet.proxy.route.GatewayFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Weighted backendRefs, invalid references, and the four supported filters. */
class GatewayBackendsAndFiltersTest {

    private static RouteTable seeded(long seed, String... docs) {
        return RouteTable.compile(Manifests.parse(String.join("\n---\n", docs), "test"),
                RouteOptions.defaults().withRandom(new SplittableRandom(seed)));
    }

    @Test
    void weightsSplitTrafficInProportion() {
        RouteTable table = seeded(42, GATEWAY, route("split", "2024-01-01T00:00:00Z", """
                rules:
                - backendRefs:
                  - {name: v1, port: 80, weight: 80}
                  - {name: v2, port: 80, weight: 20}
                  - {name: never, port: 80, weight: 0}
                """));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(backendOf(table.match(GatewayFixtures.get("any.host", "/"))), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("v1", "v2");
        assertThat(counts.get("v1") / 10_000.0).isCloseTo(0.8, within(0.02));
    }

    @Test
    void sameSeedSameSequence() {
        String doc = route("split", "2024-01-01T00:00:00Z", """
                rules:
                - backendRefs: [{name: v1, port: 80}, {name: v2, port: 80}]
                """);
        List<String> first = new java.util.ArrayList<>();
        List<String> second = new java.util.ArrayList<>();
        RouteTable a = seeded(7, GATEWAY, doc);
        RouteTable b = seeded(7, GATEWAY, doc);
        for (int i = 0; i < 50; i++) {
            first.add(backendOf(a.match(GatewayFixtures.get("h", "/"))));
            second.add(backendOf(b.match(GatewayFixtures.get("h", "/"))));
        }
        assertThat(first).isEqualTo(second).contains("v1", "v2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            all weights zero            | [{name: v1, port: 80, weight: 0}]                     | 500 rule has no backend with a weight above 0
            no backendRefs              | []                                                    | 500 rule has no backend with a weight above 0
            cross-namespace without grant | [{name: v1, namespace: other, port: 80}]            | 500 backendRef to Service other/v1 is not allowed by a ReferenceGrant
            non-Service kind            | [{name: v1, kind: Bucket, group: example.com, port: 80}] | 500 backendRef kind example.com/Bucket is not supported
            """)
    void invalidBackendsAnswer500(String name, String refs, String expected) {
        RouteTable table = GatewayFixtures.table(GATEWAY, route("r", "2024-01-01T00:00:00Z",
                "rules:\n- backendRefs: " + refs + "\n"));
        assertThat(backendOf(table.match(GatewayFixtures.get("h", "/")))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            grant for every Service           | v1beta1 | ''            | v1
            grant for this Service            | v1      | 'name: v1'    | v1
            grant for another Service only    | v1      | 'name: v2'    | 500 backendRef to Service other/v1 is not allowed by a ReferenceGrant
            """)
    void referenceGrantAllowsCrossNamespaceBackends(String name, String version, String toName, String expected) {
        String grant = """
                apiVersion: gateway.networking.k8s.io/%s
                kind: ReferenceGrant
                metadata: {name: g, namespace: other}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
                  to: [{group: '', kind: Service, %s}]
                """.formatted(version, toName);
        RouteTable table = GatewayFixtures.table(GATEWAY, grant, route("r", "2024-01-01T00:00:00Z",
                "rules:\n- backendRefs: [{name: v1, namespace: other, port: 80}]\n"));
        assertThat(backendOf(table.match(GatewayFixtures.get("h", "/")))).isEqualTo(expected);
    }

    @Test
    void headerModifiersAreReturnedInOrder() {
        RouteTable table = GatewayFixtures.table(GATEWAY, route("r", "2024-01-01T00:00:00Z", """
                rules:
                - filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier: {set: [{name: X-Set, value: s}], add: [{name: X-Add, value: a}], remove: [X-Gone]}
                  - type: ResponseHeaderModifier
                    responseHeaderModifier: {add: [{name: X-Resp, value: r}]}
                  backendRefs: [{name: v1, port: 80}]
                """));
        RouteResult.Forward forward = (RouteResult.Forward) table.match(GatewayFixtures.get("h", "/"));
        assertThat(forward.filters()).containsExactly(
                new Filter.RequestHeaderModifier(new HeaderEdits(List.of(new HeaderEdits.Header("X-Set", "s")),
                        List.of(new HeaderEdits.Header("X-Add", "a")), List.of("X-Gone"))),
                new Filter.ResponseHeaderModifier(new HeaderEdits(List.of(),
                        List.of(new HeaderEdits.Header("X-Resp", "r")), List.of())));
        Map<String, String> headers = new LinkedHashMap<>(Map.of("x-set", "old", "x-gone", "bye"));
        ((Filter.RequestHeaderModifier) forward.filters().getFirst()).edits().applyTo(new HeaderEdits.Target() {
            public void set(String n, String v) { headers.put(n.toLowerCase(), v); }
            public void add(String n, String v) { headers.merge(n.toLowerCase(), v, (a, b) -> a + "," + b); }
            public void remove(String n) { headers.remove(n.toLowerCase()); }
        });
        assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of("x-set", "s", "x-add", "a"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            scheme to https drops port           | {scheme: https}                                            | http://a.com:8080/p/x | redirect 302 https://a.com/p/x
            hostname and 301                      | {hostname: b.com, statusCode: 301}                         | http://a.com/p/x      | redirect 301 http://b.com/p/x
            explicit port                         | {port: 8443, scheme: https}                                | http://a.com/p/x      | redirect 302 https://a.com:8443/p/x
            full path                             | {path: {type: ReplaceFullPath, replaceFullPath: /new}}      | http://a.com/p/x      | redirect 302 http://a.com/new
            prefix path                           | {path: {type: ReplacePrefixMatch, replacePrefixMatch: /q}} | http://a.com/p/x      | redirect 302 http://a.com/q/x
            """)
    void redirects(String name, String redirect, String url, String expected) {
        RouteTable table = GatewayFixtures.table(GATEWAY, route("r", "2024-01-01T00:00:00Z", """
                rules:
                - matches: [{path: {type: PathPrefix, value: /p}}]
                  filters: [{type: RequestRedirect, requestRedirect: %s}]
                """.formatted(redirect)));
        java.net.URI uri = java.net.URI.create(url);
        RouteRequest request = RouteRequest.of("GET", Scheme.HTTP, uri.getRawAuthority(), uri.getRawPath());
        assertThat(backendOf(table.match(request))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            replace prefix keeps the rest     | /prefix/one   | /one | /prefix/one/two | /one/two
            replace prefix with root          | /strip-prefix | /    | /strip-prefix/x | /x
            replace prefix, path is prefix    | /strip-prefix | /    | /strip-prefix   | /
            replace prefix, trailing slash    | /prefix/one   | /one | /prefix/one/    | /one/
            rule with trailing slash          | /prefix/      | /new | /prefix/a       | /new/a
            """)
    void replacePrefixMatch(String name, String prefix, String replacement, String path, String expected) {
        assertThat(new PathModifier.ReplacePrefixMatch(replacement).apply(path, prefix)).isEqualTo(expected);
    }

    @Test
    void urlRewriteTravelsWithTheMatchedPrefix() {
        RouteTable table = GatewayFixtures.table(GATEWAY, route("r", "2024-01-01T00:00:00Z", """
                rules:
                - matches: [{path: {type: PathPrefix, value: /api}}]
                  filters: [{type: URLRewrite, urlRewrite: {hostname: internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}]
                  backendRefs: [{name: v1, port: 80}]
                """));
        RouteResult.Forward forward = (RouteResult.Forward) table.match(GatewayFixtures.get("h", "/api/x"));
        assertThat(forward.matchedPrefix()).isEqualTo("/api");
        assertThat(forward.filters()).containsExactly(
                new Filter.UrlRewrite("internal", new PathModifier.ReplacePrefixMatch("/v2")));
    }

    @Test
    void unsupportedFilterFailsTheRule() {
        RouteTable table = GatewayFixtures.table(GATEWAY, route("r", "2024-01-01T00:00:00Z", """
                rules:
                - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}}}]
                  backendRefs: [{name: v1, port: 80}]
                """));
        assertThat(backendOf(table.match(GatewayFixtures.get("h", "/"))))
                .isEqualTo("500 filter type 'RequestMirror' is not supported");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            route in other namespace, listener Same   | other | Same | {name: same-namespace, namespace: infra}                    | 404
            route in other namespace, listener All    | other | All  | {name: same-namespace, namespace: infra}                    | v1
            sectionName of another listener           | infra | Same | {name: same-namespace, sectionName: https}                  | 404
            port of the listener                      | infra | Same | {name: same-namespace, port: 80}                            | v1
            other gateway                              | infra | Same | {name: elsewhere}                                           | 404
            """)
    void attachment(String name, String routeNamespace, String from, String parentRef, String expected) {
        String gateway = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: same-namespace, namespace: infra}
                spec:
                  gatewayClassName: knet
                  listeners:
                  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: %s}}}
                """.formatted(from);
        String route = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: %s}
                spec:
                  parentRefs: [%s]
                  rules:
                  - backendRefs: [{name: v1, port: 80}]
                """.formatted(routeNamespace, parentRef);
        assertThat(backendOf(GatewayFixtures.table(gateway, route).match(GatewayFixtures.get("h", "/"))))
                .isEqualTo(expected);
    }
}
