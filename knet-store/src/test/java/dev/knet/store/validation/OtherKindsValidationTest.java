package dev.knet.store.validation;

import dev.knet.store.ApiException;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Metadata rules shared by every kind, and the smaller kinds: EndpointSlice, Node, Namespace, ConfigMap, Secret. */
class OtherKindsValidationTest {

    record Case(String name, String yaml, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String configMap(String metadata, String rest) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg" + metadata + "}\n" + rest;
    }

    private static String slice(String body) {
        return "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc}\n" + body;
    }

    static List<Case> cases() {
        String cm = "ConfigMap default/cfg is invalid: ";
        String es = "EndpointSlice default/web-abc is invalid: ";
        return List.of(
                new Case("label key starting with a dash", configMap(", labels: {'-app': web}", ""),
                        cm + "metadata.labels: Invalid value: \"-app\": " + AdmissionFixture.NAME_PART_MSG),
                new Case("label value with a space", configMap(", labels: {app: 'my app'}", ""),
                        cm + "metadata.labels: Invalid value: \"my app\": " + AdmissionFixture.LABEL_VALUE_MSG),
                new Case("label value of 64 characters", configMap(", labels: {app: " + "v".repeat(64) + "}", ""),
                        cm + "metadata.labels: Invalid value: \"" + "v".repeat(64) + "\": must be no more than 63 characters"),
                new Case("label key prefix not a subdomain", configMap(", labels: {'Example.com/app': web}", ""),
                        cm + "metadata.labels: Invalid value: \"Example.com/app\": prefix part " + AdmissionFixture.DNS1123_SUBDOMAIN_MSG),
                new Case("label key name part of 64 characters", configMap(", labels: {'example.com/" + "k".repeat(64) + "': web}", ""),
                        cm + "metadata.labels: Invalid value: \"example.com/" + "k".repeat(64) + "\": name part must be no more than 63 characters"),
                new Case("annotation key with two slashes", configMap(", annotations: {'a/b/c': x}", ""),
                        cm + "metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric "
                                + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                                + "'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                                + "(e.g. 'example.com/MyName')"),
                new Case("annotation key with an empty prefix", configMap(", annotations: {'/note': x}", ""),
                        cm + "metadata.annotations: Invalid value: \"/note\": prefix part must be non-empty"),
                new Case("ConfigMap key with a space", configMap("", "data: {'bad key': x}\n"),
                        cm + "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric "
                                + "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used "
                                + "for validation is '[-._a-zA-Z0-9]+')"),
                new Case("ConfigMap key '..'", configMap("", "data: {'..': x}\n"),
                        cm + "data[..]: Invalid value: \"..\": must not be '..'"),
                new Case("TLS Secret without key", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: shop-tls}
                        type: kubernetes.io/tls
                        stringData: {tls.crt: cert}
                        """, "Secret default/shop-tls is invalid: data[tls.key]: Required value"),
                new Case("pod name of 254 characters", "apiVersion: v1\nkind: Pod\nmetadata: {name: " + "p".repeat(254)
                        + "}\nspec: {containers: [{name: app, image: nginx}]}\n",
                        "Pod default/" + "p".repeat(254) + " is invalid: metadata.name: Invalid value: \"" + "p".repeat(254)
                                + "\": must be no more than 253 characters"),
                new Case("namespace name with a dot", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n",
                        "Namespace team.a is invalid: metadata.name: Invalid value: \"team.a\": must not contain dots"),
                new Case("node podCIDR", "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nspec: {podCIDR: 10.244.0.0/99}\n",
                        "Node node-1 is invalid: spec.podCIDR: Invalid value: \"10.244.0.0/99\": " + AdmissionFixture.CIDR_MSG),
                new Case("EndpointSlice address type", slice("addressType: IPX\nendpoints: [{addresses: [10.0.0.1]}]\n"),
                        es + "addressType: Unsupported value: \"IPX\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""),
                new Case("IPv6 address in an IPv4 slice", slice("addressType: IPv4\nendpoints: [{addresses: ['fd00::1']}]\n"),
                        es + "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address"),
                new Case("IPv4 address in an IPv6 slice", slice("addressType: IPv6\nendpoints: [{addresses: [10.0.0.1]}]\n"),
                        es + "endpoints[0].addresses[0]: Invalid value: \"10.0.0.1\": must be a valid IPv6 address"),
                new Case("loopback endpoint", slice("addressType: IPv4\nendpoints: [{addresses: [127.0.0.1]}]\n"),
                        es + "endpoints[0].addresses[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
                new Case("FQDN of one label", slice("addressType: FQDN\nendpoints: [{addresses: [web]}]\n"),
                        es + "endpoints[0].addresses[0]: Invalid value: \"web\": should be a domain with at least two segments separated by dots"),
                new Case("endpoint without address", slice("addressType: IPv4\nendpoints: [{addresses: []}]\n"),
                        es + "endpoints[0].addresses: Required value: must contain at least 1 address"),
                new Case("EndpointSlice port protocol", slice("addressType: IPv4\nports: [{name: http, port: 80, protocol: QUIC}]\n"),
                        es + "ports[0].protocol: Unsupported value: \"QUIC\": supported values: \"SCTP\", \"TCP\", \"UDP\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsInvalidObject(Case c) {
        assertThat(AdmissionFixture.rejection(c.yaml()).getMessage()).isEqualTo(c.expected());
    }

    @Test
    void endpointSliceOfMoreThanAThousandEndpointsIsRefused() {
        var endpoints = IntStream.range(0, 1001)
                .mapToObj(i -> new EndpointBuilder().withAddresses("10.1." + (i / 250) + "." + (i % 250 + 1)).build())
                .toList();
        var slice = new EndpointSliceBuilder().withNewMetadata().withName("big").withNamespace("default").endMetadata()
                .withAddressType("IPv4").withEndpoints(endpoints).build();
        try (DefaultApiStore store = AdmissionFixture.store()) {
            var e = catchThrowableOfType(ApiException.Invalid.class, () -> store.create(slice));

            assertThat(e.getMessage()).isEqualTo(
                    "EndpointSlice default/big is invalid: endpoints: Too many: 1001: must have at most 1000 items");
        }
    }

    @Test
    void everyErrorOfAnObjectIsReportedInOrder() {
        var e = AdmissionFixture.rejection("""
                apiVersion: v1
                kind: Service
                metadata: {name: web-}
                spec:
                  type: NodePort
                  ports: [{port: 70000, targetPort: 80}, {name: b, port: 80, protocol: HTTP}]
                """);

        assertThat(e.errors()).extracting(Object::toString).containsExactly(
                "metadata.name: Invalid value: \"web-\": " + AdmissionFixture.DNS1123_LABEL_MSG,
                "spec.ports[0].name: Required value",
                "spec.ports[0].port: Invalid value: \"70000\": must be between 1 and 65535, inclusive",
                "spec.ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    }
}
