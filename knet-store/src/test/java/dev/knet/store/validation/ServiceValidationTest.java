package dev.knet.store.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.knet.store.validation.AdmissionFixture.DNS1123_LABEL_MSG;
import static dev.knet.store.validation.AdmissionFixture.IP_MSG;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceValidationTest {

    record Case(String name, String spec, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String service(String name, String spec) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n" + spec;
    }

    static List<Case> cases() {
        return List.of(
                new Case("port out of range", """
                          ports: [{port: 70000, targetPort: 8080}]
                        """, "spec.ports[0].port: Invalid value: \"70000\": must be between 1 and 65535, inclusive"),
                new Case("unknown protocol", """
                          ports: [{port: 80, protocol: HTTP}]
                        """, "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                new Case("duplicate port name", """
                          ports: [{name: http, port: 80}, {name: http, port: 81}]
                        """, "spec.ports[1].name: Duplicate value: \"http\""),
                new Case("unnamed port among several", """
                          ports: [{name: http, port: 80}, {port: 81}]
                        """, "spec.ports[1].name: Required value"),
                new Case("duplicate port and protocol", """
                          ports: [{name: a, port: 80}, {name: b, port: 80, targetPort: 81}]
                        """, "spec.ports[1]: Duplicate value: \"80/TCP\""),
                new Case("named targetPort too long", """
                          ports: [{port: 80, targetPort: averyveryverylongname}]
                        """, "spec.ports[0].targetPort: Invalid value: \"averyveryverylongname\": must be no more than 15 characters"),
                new Case("named targetPort with double hyphen", """
                          ports: [{port: 80, targetPort: my--port}]
                        """, "spec.ports[0].targetPort: Invalid value: \"my--port\": must not contain consecutive hyphens"),
                new Case("named targetPort without letter", """
                          ports: [{port: 80, targetPort: '8080'}]
                        """, "spec.ports[0].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)"),
                new Case("unknown type", """
                          type: Foo
                          ports: [{port: 80}]
                        """, "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
                new Case("ExternalName without externalName", """
                          type: ExternalName
                        """, "spec.externalName: Required value"),
                new Case("ExternalName with a bad name", """
                          type: ExternalName
                          externalName: Web_Server.example.com
                        """, "spec.externalName: Invalid value: \"Web_Server.example.com\": " + AdmissionFixture.DNS1123_SUBDOMAIN_MSG),
                new Case("ExternalName with a clusterIP", """
                          type: ExternalName
                          externalName: db.example.com
                          clusterIP: 10.96.0.5
                        """, "spec.clusterIP: Forbidden: may not be set for ExternalName services"),
                new Case("headless NodePort", """
                          type: NodePort
                          clusterIP: None
                          ports: [{port: 80}]
                        """, "spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort services"),
                new Case("nodePort on ClusterIP", """
                          ports: [{port: 80, nodePort: 30080}]
                        """, "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
                new Case("nodePort out of range", """
                          type: NodePort
                          ports: [{port: 80, nodePort: 70000}]
                        """, "spec.ports[0].nodePort: Invalid value: \"70000\": must be between 1 and 65535, inclusive"),
                new Case("ClientIP timeout above a day", """
                          ports: [{port: 80}]
                          sessionAffinity: ClientIP
                          sessionAffinityConfig: {clientIP: {timeoutSeconds: 90000}}
                        """, "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: \"90000\": must be greater than 0 and less than 86400"),
                new Case("unknown session affinity", """
                          ports: [{port: 80}]
                          sessionAffinity: Cookie
                        """, "spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"ClientIP\", \"None\""),
                new Case("externalTrafficPolicy on ClusterIP", """
                          ports: [{port: 80}]
                          externalTrafficPolicy: Local
                        """, "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services"),
                new Case("unknown externalTrafficPolicy", """
                          type: LoadBalancer
                          ports: [{port: 80}]
                          externalTrafficPolicy: Nearest
                        """, "spec.externalTrafficPolicy: Unsupported value: \"Nearest\": supported values: \"Cluster\", \"Local\""),
                new Case("clusterIP not an IP", """
                          clusterIP: 10.96.0.300
                          ports: [{port: 80}]
                        """, "spec.clusterIP: Invalid value: \"10.96.0.300\": " + IP_MSG),
                new Case("unknown ipFamily", """
                          ipFamilies: [IPv5]
                          ports: [{port: 80}]
                        """, "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\""),
                new Case("no ports", """
                          selector: {app: web}
                        """, "spec.ports: Required value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsInvalidService(Case c) {
        var e = AdmissionFixture.rejection(service("web", c.spec()));

        assertThat(e.getMessage()).isEqualTo("Service default/web is invalid: " + c.expected());
        assertThat(e.key().toString()).isEqualTo("Service default/web");
        assertThat(e.code()).isEqualTo(422);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    void serviceNamesAreDnsLabels(String name, String expected) {
        var e = AdmissionFixture.rejection(service(name, "  ports: [{port: 80}]\n"));

        assertThat(e.getMessage()).isEqualTo("Service default/" + name + " is invalid: " + expected);
    }

    @org.junit.jupiter.api.Test
    void aServiceNameMayStartWithADigit() {
        try (var store = AdmissionFixture.store()) {
            store.commit(AdmissionFixture.creates(AdmissionFixture.parse(service("1kubernetes", "  ports: [{port: 80}]\n"))));

            assertThat(store.get(dev.knet.model.ResourceKinds.SERVICE, "default", "1kubernetes")).isPresent();
        }
    }

    static List<org.junit.jupiter.params.provider.Arguments> badNames() {
        return List.of(
                org.junit.jupiter.params.provider.Arguments.of("web-",
                        "metadata.name: Invalid value: \"web-\": " + DNS1123_LABEL_MSG),
                org.junit.jupiter.params.provider.Arguments.of("web.v1",
                        "metadata.name: Invalid value: \"web.v1\": must not contain dots"),
                org.junit.jupiter.params.provider.Arguments.of("w" + "e".repeat(63),
                        "metadata.name: Invalid value: \"w" + "e".repeat(63) + "\": must be no more than 63 characters"));
    }
}
