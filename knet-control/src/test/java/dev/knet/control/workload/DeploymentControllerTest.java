package dev.knet.control.workload;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentControllerTest {

    static Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static List<Pod> podsOf(TestCluster c, String name) {
        return c.pods().stream().filter(p -> name.equals(p.getMetadata().getLabels().get("app"))).toList();
    }

    @Test
    void createsNamedLabelledOwnedPodsAndReportsStatus() {
        try (TestCluster c = TestCluster.simulated()) {
            Deployment d = c.store.create(deployment("web", 3, "nginx:1"));
            c.awaitIdle();
            List<Pod> pods = podsOf(c, "web");
            assertThat(pods).hasSize(3);
            String hash = TemplateHash.of(d.getSpec().getTemplate());
            assertThat(pods).allSatisfy(p -> {
                assertThat(p.getMetadata().getName()).matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
                assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
                assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                    assertThat(r.getUid()).isEqualTo(d.getMetadata().getUid());
                    assertThat(r.getKind()).isEqualTo("Deployment");
                    assertThat(r.getController()).isTrue();
                });
            });
            Deployment stored = c.store.get(ResourceKinds.DEPLOYMENT, "default", "web").orElseThrow();
            assertThat(stored.getStatus().getReplicas()).isEqualTo(3);
            assertThat(stored.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(stored.getStatus().getAvailableReplicas()).isEqualTo(3);
        }
    }

    @Test
    void scalesUpAndDownRemovingTheNewestPods() {
        try (TestCluster c = TestCluster.simulated()) {
            c.store.create(deployment("web", 2, "nginx:1"));
            c.awaitIdle();
            Set<String> first = podsOf(c, "web").stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            // Creation times have whole seconds: let the clock tick so the next pods are strictly newer.
            long startedIn = java.time.Instant.now().getEpochSecond();
            org.awaitility.Awaitility.await().until(() -> java.time.Instant.now().getEpochSecond() > startedIn);
            Deployment d = c.store.get(ResourceKinds.DEPLOYMENT, "default", "web").orElseThrow();
            d.getSpec().setReplicas(5);
            c.store.update(d);
            c.awaitIdle();
            assertThat(podsOf(c, "web")).hasSize(5);
            d = c.store.get(ResourceKinds.DEPLOYMENT, "default", "web").orElseThrow();
            d.getSpec().setReplicas(2);
            c.store.update(d);
            c.awaitIdle();
            assertThat(podsOf(c, "web")).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(first);
            assertThat(c.store.get(ResourceKinds.DEPLOYMENT, "default", "web").orElseThrow().getStatus().getReplicas())
                    .isEqualTo(2);
        }
    }

    @Test
    void aTemplateChangeReplacesEveryPod() {
        try (TestCluster c = TestCluster.simulated()) {
            c.store.create(deployment("web", 3, "nginx:1"));
            c.awaitIdle();
            Set<String> before = podsOf(c, "web").stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            c.store.update(deployment("web", 3, "nginx:2"));
            c.awaitIdle();
            List<Pod> after = podsOf(c, "web");
            assertThat(after).hasSize(3).allSatisfy(p -> {
                assertThat(p.getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx:2");
                assertThat(before).doesNotContain(p.getMetadata().getName());
            });
            Deployment stored = c.store.get(ResourceKinds.DEPLOYMENT, "default", "web").orElseThrow();
            assertThat(after).extracting(p -> p.getMetadata().getLabels().get("pod-template-hash")).containsOnly(
                    TemplateHash.of(stored.getSpec().getTemplate()));
        }
    }

    @Test
    void deletingTheDeploymentCollectsItsPods() {
        try (TestCluster c = TestCluster.simulated()) {
            c.store.create(deployment("web", 3, "nginx:1"));
            c.awaitIdle();
            c.store.delete(ResourceKinds.DEPLOYMENT, "default", "web");
            c.awaitIdle();
            assertThat(podsOf(c, "web")).isEmpty();
        }
    }

    @Test
    void theHashIgnoresLabelOrderButNotContent() {
        Deployment a = deployment("web", 1, "nginx:1");
        a.getSpec().getTemplate().getMetadata().setLabels(new java.util.LinkedHashMap<>(java.util.Map.of("app", "web")));
        a.getSpec().getTemplate().getMetadata().getLabels().put("tier", "front");
        Deployment b = deployment("web", 1, "nginx:1");
        java.util.LinkedHashMap<String, String> reordered = new java.util.LinkedHashMap<>();
        reordered.put("tier", "front");
        reordered.put("app", "web");
        b.getSpec().getTemplate().getMetadata().setLabels(reordered);
        assertThat(TemplateHash.of(a.getSpec().getTemplate())).isEqualTo(TemplateHash.of(b.getSpec().getTemplate()))
                .isNotEqualTo(TemplateHash.of(deployment("web", 1, "nginx:2").getSpec().getTemplate()));
    }
}
