package dev.knet.control;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ListOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ControlPlaneTest {

    @Test
    void awaitIdleReturnsOnceAPodIsScheduledAddressedRunningAndInItsServiceSlice() {
        try (TestCluster c = TestCluster.simulated()) {
            c.store.create(TestCluster.service("web", Map.of("app", "web"), 80, "http"));
            c.store.create(TestCluster.pod("web-1", Map.of("app", "web")));
            c.awaitIdle();

            Pod pod = c.pod("default", "web-1");
            assertThat(pod.getSpec().getNodeName()).startsWith("node-");
            assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            Service svc = c.store.get(ResourceKinds.SERVICE, "default", "web").orElseThrow();
            assertThat(svc.getSpec().getClusterIP()).startsWith("10.96.");
            assertThat(c.slicesOf("default", "web")).singleElement().satisfies(s -> {
                assertThat(s.getEndpoints()).singleElement().satisfies(e -> {
                    assertThat(e.getAddresses()).containsExactly(pod.getStatus().getPodIP());
                    assertThat(e.getConditions().getReady()).isTrue();
                });
                assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
            });
            assertThat(c.store.list(ResourceKinds.NODE, ListOptions.all()).items()).hasSize(3);
        }
    }
}
