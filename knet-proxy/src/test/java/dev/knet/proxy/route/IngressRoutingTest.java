package dev.knet.proxy.route;

import dev.knet.model.Manifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.knet.proxy.route.GatewayFixtures.backendOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Ingress behaviour beyond the conformance file: classes, merging, precedence, TLS bindings. */
class IngressRoutingTest {

    private static String ingress(String name, String created, String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: web, creationTimestamp: "%s"}
                spec:
                %s""".formatted(name, created, spec.indent(2));
    }

    private static String ingressClass(String name, String controller, boolean isDefault) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: %s
                  annotations: {ingressclass.kubernetes.io/is-default-class: "%s"}
                spec: {controller: %s}
                """.formatted(name, isDefault, controller);
    }

    private static RouteTable table(String... docs) {
        return RouteTable.compile(Manifests.parse(String.join("\n---\n", docs), "test"), RouteOptions.defaults());
    }

    private static final String CLASSED = ingress("classed", "2024-01-01T00:00:00Z", """
            ingressClassName: knet
            defaultBackend: {service: {name: classed, port: {number: 80}}}
            """);
    private static final String UNCLASSED = ingress("unclassed", "2024-01-01T00:00:00Z", """
            defaultBackend: {service: {name: unclassed, port: {number: 80}}}
            """);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            our class, default                  | knet  | knet.dev/ingress-controller | true  | classed   | unclassed
            our class, not default, none default | knet  | knet.dev/ingress-controller | false | classed   | unclassed
            other controller's class is default | other | example.com/other           | true  | 404       | 404
            """)
    void ingressClassSelection(String name, String className, String controller, boolean isDefault,
                               String classedResult, String unclassedResult) {
        String cls = ingressClass(className, controller, isDefault);
        assertThat(backendOf(table(cls, CLASSED).match(GatewayFixtures.get("h", "/")))).isEqualTo(classedResult);
        assertThat(backendOf(table(cls, UNCLASSED).match(GatewayFixtures.get("h", "/")))).isEqualTo(unclassedResult);
    }

    @Test
    void unclassedIngressIsServedWhenTheClusterHasNoIngressClass() {
        assertThat(backendOf(table(UNCLASSED).match(GatewayFixtures.get("h", "/")))).isEqualTo("unclassed");
    }

    @Test
    void legacyClassAnnotationCounts() {
        String annotated = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: old, namespace: web, annotations: {kubernetes.io/ingress.class: other}}
                spec: {defaultBackend: {service: {name: old, port: {number: 80}}}}
                """;
        assertThat(backendOf(table(annotated).match(GatewayFixtures.get("h", "/")))).isEqualTo("404");
    }

    private static final String MERGED = String.join("\n---\n",
            ingress("newer", "2024-06-01T00:00:00Z", """
                    defaultBackend: {service: {name: newer-default, port: {number: 80}}}
                    rules:
                    - host: a.example.com
                      http:
                        paths:
                        - {path: /, pathType: Prefix, backend: {service: {name: newer-root, port: {number: 80}}}}
                        - {path: /impl, pathType: ImplementationSpecific, backend: {service: {name: impl, port: {number: 80}}}}
                        - {path: /res, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}}
                    - host: "*.example.com"
                      http:
                        paths:
                        - {path: /, pathType: Prefix, backend: {service: {name: wildcard, port: {number: 80}}}}
                    """),
            ingress("older", "2024-01-01T00:00:00Z", """
                    defaultBackend: {service: {name: older-default, port: {number: 80}}}
                    rules:
                    - host: a.example.com
                      http:
                        paths:
                        - {path: /, pathType: Prefix, backend: {service: {name: older-root, port: {number: 80}}}}
                        - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
                    tls:
                    - {hosts: [a.example.com, "*.example.com"], secretName: a-cert}
                    """));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rules of two Ingresses merge per host      | a.example.com | /api/v1     | api
            equal paths: the older Ingress wins        | a.example.com | /other      | older-root
            ImplementationSpecific matches as Prefix   | a.example.com | /impl/x     | impl
            ImplementationSpecific is element-wise     | a.example.com | /implx      | older-root
            exact host before wildcard                 | a.example.com | /           | older-root
            wildcard for other hosts                   | b.example.com | /           | wildcard
            unmatched host: oldest defaultBackend      | c.other.org   | /           | older-default
            resource backends are refused              | a.example.com | /res        | 500 resource backends are not supported
            """)
    void mergedIngresses(String name, String host, String path, String expected) {
        assertThat(backendOf(table(MERGED).match(GatewayFixtures.get(host, path)))).isEqualTo(expected);
    }

    @Test
    void tlsHostsBecomeCertificateBindings() {
        assertThat(table(MERGED).certificates()).containsExactly(
                new CertificateBinding(HostPattern.of("a.example.com"), "web", "a-cert"),
                new CertificateBinding(HostPattern.of("*.example.com"), "web", "a-cert"));
    }

    @Test
    void namedPortIsKept() {
        String named = ingress("named", "2024-01-01T00:00:00Z", """
                defaultBackend: {service: {name: svc, port: {name: http}}}
                """);
        RouteResult.Forward forward = (RouteResult.Forward) table(named).match(GatewayFixtures.get("h", "/"));
        assertThat(forward.backend()).isEqualTo(new ServiceBackend("web", "svc", new PortRef.Named("http")));
    }

    @Test
    void httpsListenerRoutesOnlyServeTls() {
        String gateway = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: web}
                spec:
                  gatewayClassName: knet
                  listeners:
                  - name: https
                    port: 443
                    protocol: HTTPS
                    hostname: secure.example.com
                    tls: {mode: Terminate, certificateRefs: [{name: secure-cert}]}
                """;
        String route = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: web}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{backendRefs: [{name: secure, port: 80}]}]
                """;
        RouteTable t = table(gateway, route);
        assertThat(backendOf(t.match(RouteRequest.of("GET", Scheme.HTTPS, "secure.example.com", "/")))).isEqualTo("secure");
        assertThat(backendOf(t.match(RouteRequest.of("GET", Scheme.HTTP, "secure.example.com", "/")))).isEqualTo("404");
        assertThat(t.certificates()).containsExactly(
                new CertificateBinding(HostPattern.of("secure.example.com"), "web", "secure-cert"));
    }
}
