package dev.knet.store.validation;

import dev.knet.store.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Validation#validate} without a store, as the CLI's --dry-run uses it. */
class OfflineValidationTest {

    record Case(String name, String yaml, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("bare manifest gets defaults before checks", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web}
                        spec: {ports: [{port: 80}]}
                        """, List.of()),
                new Case("bad namespace name", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: cfg, namespace: Team_A}
                        """, List.of("metadata.namespace: Invalid value: \"Team_A\": " + AdmissionFixture.DNS1123_LABEL_MSG)),
                new Case("bad generateName", """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: web-x1, generateName: Web-}
                        spec: {containers: [{name: app, image: nginx}]}
                        """, List.of("metadata.generateName: Invalid value: \"Web-\": " + AdmissionFixture.DNS1123_SUBDOMAIN_MSG)),
                new Case("several errors in one object", """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np, labels: {a: 'b c'}}
                        spec:
                          podSelector: {matchExpressions: [{key: pod, operator: DoesNotExist, values: [a]}]}
                          ingress: [{from: [{ipBlock: {cidr: 300.0.0.0/8}}], ports: [{port: 'HTTP'}]}]
                        """, List.of(
                        "metadata.labels: Invalid value: \"b c\": " + AdmissionFixture.LABEL_VALUE_MSG,
                        "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                        "spec.ingress[0].ports[0].port: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                        "spec.ingress[0].ports[0].port: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
                        "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"300.0.0.0/8\": " + AdmissionFixture.CIDR_MSG)),
                new Case("kinds without own rules still check metadata", """
                        apiVersion: networking.k8s.io/v1
                        kind: IngressClass
                        metadata: {name: Knet}
                        """, List.of("metadata.name: Invalid value: \"Knet\": " + AdmissionFixture.DNS1123_SUBDOMAIN_MSG)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsEveryError(Case c) {
        HasMetadata object = AdmissionFixture.parse(c.yaml()).getFirst();

        assertThat(Validation.validate(object)).extracting(FieldError::toString).containsExactlyElementsOf(c.expected());
    }

    @Test
    void validateLeavesTheManifestUnchanged() {
        Service svc = (Service) AdmissionFixture.parse("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80}]}
                """).getFirst();

        Validation.validate(svc);

        assertThat(svc.getSpec().getType()).isNull();
        assertThat(svc.getSpec().getPorts().getFirst().getProtocol()).isNull();
    }

    @Test
    void checkSeesTheObjectAsItIs() {
        Service svc = (Service) AdmissionFixture.parse("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80}]}
                """).getFirst();

        assertThat(Validation.check(svc, null)).extracting(FieldError::toString).contains(
                "spec.type: Required value", "spec.ports[0].protocol: Required value", "spec.sessionAffinity: Required value");
    }
}
