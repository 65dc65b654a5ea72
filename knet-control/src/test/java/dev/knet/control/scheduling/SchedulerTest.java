package dev.knet.control.scheduling;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {

    @Test
    void spreadsPodsEvenlyOverTheNodes() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            for (int i = 0; i < 9; i++) {
                c.store.create(TestCluster.pod("p" + i, Map.of("app", "x")));
            }
            c.awaitIdle();
            Map<String, Long> perNode = c.pods().stream()
                    .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting()));
            assertThat(perNode).containsOnly(Map.entry("node-1", 3L), Map.entry("node-2", 3L), Map.entry("node-3", 3L));
        }
    }

    @Test
    void theFirstPodGoesToTheSmallestNodeNameWhenAllAreEmpty() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            c.store.create(TestCluster.pod("p", Map.of()));
            c.awaitIdle();
            assertThat(c.pod("default", "p").getSpec().getNodeName()).isEqualTo("node-1");
        }
    }

    static Stream<Arguments> placements() {
        Function<Pod, Pod> zoneC = p -> {
            p.getSpec().setNodeSelector(Map.of("topology.kubernetes.io/zone", "zone-c"));
            return p;
        };
        Function<Pod, Pod> hostname = p -> {
            p.getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", "node-2"));
            return p;
        };
        Function<Pod, Pod> userNodeName = p -> {
            p.getSpec().setNodeName("node-3");
            return p;
        };
        return Stream.of(
                Arguments.of("nodeSelector on zone", zoneC, "node-3"),
                Arguments.of("nodeSelector on hostname", hostname, "node-2"),
                Arguments.of("nodeName given by the user is kept", userNodeName, "node-3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void honoursWhatThePodAsksFor(String name, Function<Pod, Pod> shape, String expectedNode) {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            for (int i = 0; i < 4; i++) {
                c.store.create(shape.apply(TestCluster.pod("p" + i, Map.of())));
            }
            c.awaitIdle();
            assertThat(c.pods()).extracting(p -> p.getSpec().getNodeName()).containsOnly(expectedNode);
        }
    }

    @Test
    void aPodNoNodeFitsStaysPendingWithAReason() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            Pod p = TestCluster.pod("p", Map.of());
            p.getSpec().setNodeSelector(Map.of("disk", "ssd"));
            c.store.create(p);
            c.awaitIdle();
            Pod stored = c.pod("default", "p");
            assertThat(stored.getSpec().getNodeName()).isNull();
            assertThat(stored.getStatus().getConditions()).anySatisfy(cond -> {
                assertThat(cond.getType()).isEqualTo("PodScheduled");
                assertThat(cond.getStatus()).isEqualTo("False");
                assertThat(cond.getMessage()).startsWith("0/3 nodes are available");
            });
        }
    }
}
