package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A terminal phase written by someone else (as a kubelet's eviction writes Failed) stops the pod for good. */
class TerminalPhaseTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private AgentFixture fx;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        fx = new AgentFixture(dir);
        agent = fx.startAgent();
    }

    @AfterEach
    void stop() {
        agent.close();
        fx.close();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("evicted: Failed with reason Evicted", "Failed", "Evicted"),
                Arguments.of("failed without a reason", "Failed", null),
                Arguments.of("succeeded", "Succeeded", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aPodInATerminalPhaseIsStoppedAndItsStatusKept(String name, String phase, String reason) {
        Pod pod = fx.createPod("ended", "10.244.1.50",
                new ContainerBuilder().withName("app").withImage("registry.k8s.io/pause:3.10").build());
        String netns = fx.netnsOf(pod);
        await().atMost(WAIT).until(() -> fx.pod("ended").getStatus().getConditions() != null
                && fx.pod("ended").getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));

        Pod ended = fx.pod("ended");
        ended.getStatus().setPhase(phase);
        ended.getStatus().setReason(reason);
        ended.getStatus().getConditions().forEach(c -> c.setStatus(
                "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()) ? "False" : c.getStatus()));
        fx.client.pods().inNamespace("default").resource(ended).updateStatus();

        await().atMost(WAIT).until(() -> !fx.dataplane.netns().exists(netns));
        // several resyncs (every 100 ms) pass: none sets the pod up again or writes Running over the phase
        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> {
            Pod p = fx.pod("ended");
            return phase.equals(p.getStatus().getPhase()) && !fx.dataplane.netns().exists(netns);
        });
        Pod after = fx.pod("ended");
        assertThat(after.getStatus().getReason()).isEqualTo(reason);
        assertThat(after.getStatus().getConditions()).filteredOn(c -> "Ready".equals(c.getType()))
                .extracting(PodCondition::getStatus).containsExactly("False");
    }
}
