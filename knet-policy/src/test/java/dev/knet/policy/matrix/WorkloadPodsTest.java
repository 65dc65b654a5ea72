package dev.knet.policy.matrix;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Offline, a Deployment stands for its replicas, so manifests of Deployments give a real matrix. */
class WorkloadPodsTest {

    private static final String MANIFESTS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db}
            spec:
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: c, image: x}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-web}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
            """;

    @Test
    void deploymentsBecomeTheirReplicas() {
        List<HasMetadata> objects = Manifests.parse(MANIFESTS, "test");
        OfflineMatrix matrix = OfflineMatrix.fromManifests(objects, List.of(80), List.of("TCP"));
        assertThat(matrix.pods()).containsExactly("default/db-0", "default/web-0", "default/web-1");
        assertThat(matrix.rows()).filteredOn(r -> r.to().equals("default/db-0") && r.from().equals("default/web-1"))
                .singleElement().satisfies(r -> assertThat(r.allowed()).isTrue());
        assertThat(matrix.rows()).filteredOn(r -> r.to().equals("default/web-0") && r.from().equals("default/db-0"))
                .singleElement().satisfies(r -> assertThat(r.allowed()).isTrue());
    }

    @Test
    void deploymentsWhosePodsArePresentAreNotExpandedAgain() {
        List<HasMetadata> objects = new java.util.ArrayList<>(Manifests.parse(MANIFESTS, "test"));
        objects.addAll(Manifests.parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: db-5d8f-abcde, labels: {app: db, pod-template-hash: 5d8f}}
                spec: {containers: [{name: c, image: x}]}
                """, "live"));
        assertThat(WorkloadPods.expand(objects)).extracting(o -> o.getMetadata().getName())
                .contains("db-5d8f-abcde", "web-0", "web-1").doesNotContain("db-0");
    }
}
