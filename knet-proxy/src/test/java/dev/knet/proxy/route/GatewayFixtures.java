package dev.knet.proxy.route;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Map;

/** Gateway API objects for tests: the conformance "same-namespace" Gateway plus routes in YAML. */
final class GatewayFixtures {

    static final String GATEWAY = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: same-namespace, namespace: infra}
            spec:
              gatewayClassName: knet
              listeners:
              - {name: http, port: 80, protocol: HTTP}
            """;

    private GatewayFixtures() {
    }

    /** A route in namespace infra attached to same-namespace with the given spec.rules (YAML, indented 2). */
    static String route(String name, String created, String hostnamesAndRules) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: %s, namespace: infra, creationTimestamp: "%s"}
                spec:
                  parentRefs: [{name: same-namespace}]
                %s""".formatted(name, created, hostnamesAndRules.indent(2));
    }

    static RouteTable table(String... documents) {
        List<HasMetadata> objects = Manifests.parse(String.join("\n---\n", documents), "test");
        return RouteTable.compile(objects, RouteOptions.defaults());
    }

    static RouteRequest get(String host, String target) {
        return RouteRequest.of("GET", Scheme.HTTP, host, target);
    }

    static RouteRequest request(String method, String host, String target, Map<String, List<String>> headers) {
        return RouteRequest.of(method, Scheme.HTTP, host, target, headers);
    }

    static String backendOf(RouteResult result) {
        return switch (result) {
            case RouteResult.Forward f -> f.backend().name();
            case RouteResult.Redirect r -> "redirect " + r.statusCode() + " " + r.location();
            case RouteResult.NoBackend n -> "500 " + n.reason();
            case RouteResult.NotFound n -> "404";
        };
    }
}
