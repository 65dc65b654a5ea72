package dev.knet.store.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IngressValidationTest {

    record Case(String name, String spec, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String BACKEND = "backend: {service: {name: web, port: {number: 80}}}";
    private static final String WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid "
            + "DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
            + "alphanumeric character (e.g. '*.example.com', regex used for validation is "
            + "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private static String rule(String host, String path) {
        return "  rules:\n  - " + (host == null ? "" : "host: '" + host + "'\n    ") + "http:\n      paths:\n      - " + path + "\n";
    }

    static List<Case> cases() {
        String p0 = "spec.rules[0].http.paths[0].";
        return List.of(
                new Case("missing pathType", rule(null, "{path: /, " + BACKEND + "}"),
                        p0 + "pathType: Required value: pathType must be specified"),
                new Case("unknown pathType", rule(null, "{path: /, pathType: Regex, " + BACKEND + "}"),
                        p0 + "pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""),
                new Case("relative Prefix path", rule(null, "{path: api, pathType: Prefix, " + BACKEND + "}"),
                        p0 + "path: Invalid value: \"api\": must be an absolute path"),
                new Case("path with dot segment", rule(null, "{path: /a/../b, pathType: Exact, " + BACKEND + "}"),
                        p0 + "path: Invalid value: \"/a/../b\": must not contain '/../'"),
                new Case("IP address as host", rule("10.0.0.1", "{path: /, pathType: Prefix, " + BACKEND + "}"),
                        "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"),
                new Case("wildcard not leading", rule("foo.*.example.com", "{path: /, pathType: Prefix, " + BACKEND + "}"),
                        "spec.rules[0].host: Invalid value: \"foo.*.example.com\": " + WILDCARD_MSG),
                new Case("upper-case host", rule("Shop.Example.com", "{path: /, pathType: Prefix, " + BACKEND + "}"),
                        "spec.rules[0].host: Invalid value: \"Shop.Example.com\": " + AdmissionFixture.DNS1123_SUBDOMAIN_MSG),
                new Case("both port name and number", rule(null,
                        "{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http, number: 80}}}}"),
                        p0 + "backend: Invalid value: \"\": cannot set both port name & port number"),
                new Case("no port", rule(null, "{path: /, pathType: Prefix, backend: {service: {name: web}}}"),
                        p0 + "backend: Required value: port name or number is required"),
                new Case("backend service name not a DNS label", rule(null,
                        "{path: /, pathType: Prefix, backend: {service: {name: web_1, port: {number: 80}}}}"),
                        p0 + "backend.service.name: Invalid value: \"web_1\": " + AdmissionFixture.DNS1123_LABEL_MSG),
                new Case("backend port out of range", rule(null,
                        "{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 65536}}}}"),
                        p0 + "backend.service.port.number: Invalid value: \"65536\": must be between 1 and 65535, inclusive"),
                new Case("resource and service backend", rule(null, "{path: /, pathType: Prefix, backend: "
                        + "{service: {name: web, port: {number: 80}}, resource: {kind: Bucket, name: b}}}"),
                        p0 + "backend: Invalid value: \"\": cannot set both resource and service backends"),
                new Case("empty backend", rule(null, "{path: /, pathType: Prefix, backend: {}}"),
                        p0 + "backend: Invalid value: \"\": resource or service backend is required"),
                new Case("neither rules nor defaultBackend", "  ingressClassName: knet\n",
                        "spec.rules: Invalid value: null: either `defaultBackend` or `rules` must be specified"),
                new Case("defaultBackend without port", "  defaultBackend: {service: {name: web}}\n",
                        "spec.defaultBackend: Required value: port name or number is required"),
                new Case("bad TLS secret name", "  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
                        + "  tls: [{hosts: [shop.example.com], secretName: Shop_TLS}]\n",
                        "spec.tls[0].secretName: Invalid value: \"Shop_TLS\": " + AdmissionFixture.DNS1123_SUBDOMAIN_MSG),
                new Case("bad TLS host", "  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
                        + "  tls: [{hosts: ['*'], secretName: shop-tls}]\n",
                        "spec.tls[0].hosts[0]: Invalid value: \"*\": " + WILDCARD_MSG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsInvalidIngress(Case c) {
        String yaml = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop}\nspec:\n" + c.spec();

        assertThat(AdmissionFixture.rejection(yaml).getMessage()).isEqualTo("Ingress default/shop is invalid: " + c.expected());
    }
}
