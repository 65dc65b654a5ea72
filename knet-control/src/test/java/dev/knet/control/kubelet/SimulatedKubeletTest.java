package dev.knet.control.kubelet;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedKubeletTest {

    @Test
    void runsAddressedPodsAndRemovesTerminatingOnes() {
        try (TestCluster c = TestCluster.simulated()) {
            c.store.create(TestCluster.pod("p", Map.of()));
            c.awaitIdle();
            Pod p = c.pod("default", "p");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getConditions()).anySatisfy(cond -> {
                assertThat(cond.getType()).isEqualTo("Ready");
                assertThat(cond.getStatus()).isEqualTo("True");
            });
            assertThat(p.getStatus().getContainerStatuses()).singleElement().satisfies(cs -> {
                assertThat(cs.getName()).isEqualTo("app");
                assertThat(cs.getReady()).isTrue();
                assertThat(cs.getState().getRunning()).isNotNull();
            });
            assertThat(p.getStatus().getPodIP()).isNotNull();
            c.store.delete(ResourceKinds.POD, "default", "p");
            c.awaitIdle();
            assertThat(c.pod("default", "p")).isNull();
        }
    }

    @Test
    void withNodeAgentsNothingRunsPodsOrRemovesThem() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.store.create(TestCluster.pod("p", Map.of()));
            c.awaitIdle();
            assertThat(c.pod("default", "p").getStatus().getPhase()).isNotEqualTo("Running");
            c.store.delete(ResourceKinds.POD, "default", "p");
            c.awaitIdle();
            assertThat(c.pod("default", "p").getMetadata().getDeletionTimestamp()).isNotNull();
        }
    }
}
