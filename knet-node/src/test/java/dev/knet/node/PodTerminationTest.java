package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Graceful pod termination: preStop, SIGTERM, the grace deadline, and the final removal by the agent. */
class PodTerminationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long LONG_GRACE = 600;
    @TempDir
    Path dir;
    private AgentFixture fx;
    private NodeAgent agent;
    private final List<Probe> probesRun = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fx = new AgentFixture(dir);
        fx.prober = (target, probe) -> {
            probesRun.add(probe);
            return true;
        };
        agent = fx.startAgent();
    }

    @AfterEach
    void stop() {
        agent.close();
        fx.close();
    }

    private static Container pause(String name) {
        return new ContainerBuilder().withName(name).withImage("registry.k8s.io/pause:3.10").build();
    }

    private static Container sleepingPreStop(String name, long seconds) {
        return new ContainerBuilder(pause(name)).withNewLifecycle().withNewPreStop().withNewSleep(seconds)
                .endPreStop().endLifecycle().build();
    }

    private static Container ignoringSigterm(String name) {
        return new ContainerBuilder().withName(name).withImage("busybox:1.36")
                .withCommand("sh", "-c", "trap '' TERM; while :; do sleep 1; done").build();
    }

    static Stream<Arguments> podsThatGo() {
        return Stream.of(
                Arguments.of("a container that exits on SIGTERM ends the grace period early", LONG_GRACE,
                        List.of(pause("app"))),
                Arguments.of("a preStop sleep longer than the grace period is cut at the deadline", 1L,
                        List.of(sleepingPreStop("app", LONG_GRACE))),
                Arguments.of("a container that ignores SIGTERM is killed at the deadline", 1L,
                        List.of(ignoringSigterm("app"))),
                Arguments.of("a grace period of zero stops the pod at once, preStop or not", 0L,
                        List.of(sleepingPreStop("app", LONG_GRACE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podsThatGo")
    void aDeletedPodGoesOnceItsContainersEndOrItsGraceRunsOut(String name, long grace, List<Container> containers) {
        Pod pod = createRunning("term", grace, containers);
        String netns = fx.netnsOf(pod);

        fx.client.pods().inNamespace("default").withName("term").delete();

        await().atMost(WAIT).until(() -> fx.pod("term") == null);
        assertThat(fx.dataplane.netns().exists(netns)).as("sandbox").isFalse();
        assertThat(fx.cni.calls("DEL")).extracting(FakeCni.Call::containerId).contains(pod.getMetadata().getUid());
    }

    @Test
    void aContainerInItsPreStopKeepsRunningWhileTheOtherStopsAndThePodTurnsUnready() {
        Pod pod = createRunning("drain", LONG_GRACE, List.of(sleepingPreStop("web", LONG_GRACE), pause("gate")));
        String netns = fx.netnsOf(pod);

        fx.client.pods().inNamespace("default").withName("drain").delete();

        await().atMost(WAIT).until(() -> {
            Pod p = fx.pod("drain");
            return p != null && "False".equals(conditions(p).get("Ready"))
                    && state(p, "gate").getState().getTerminated() != null;
        });
        Pod draining = fx.pod("drain");
        assertThat(draining.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(draining.getStatus().getPhase()).isEqualTo("Running");
        assertThat(state(draining, "web").getState().getRunning()).as("web, in its preStop").isNotNull();
        assertThat(fx.dataplane.netns().exists(netns)).as("sandbox while draining").isTrue();

        // a delete with grace 0 (what the agent itself sends at the end) ends it at once
        fx.client.pods().inNamespace("default").withName("drain").withGracePeriod(0).delete();

        await().atMost(WAIT).until(() -> !fx.dataplane.netns().exists(netns));
        assertThat(fx.pod("drain")).isNull();
    }

    @Test
    void aShorterGraceFromALaterDeleteKillsAContainerThatIgnoresSigtermAtTheNewDeadline() {
        Pod pod = createRunning("short", LONG_GRACE, List.of(ignoringSigterm("stubborn"), pause("gate")));
        String netns = fx.netnsOf(pod);

        fx.client.pods().inNamespace("default").withName("short").delete();
        // The agent has begun the long grace: the container that honours SIGTERM has stopped, the other runs on.
        await().atMost(WAIT).until(() -> state(fx.pod("short"), "gate").getState().getTerminated() != null);
        assertThat(state(fx.pod("short"), "stubborn").getState().getRunning()).as("stubborn, ignoring SIGTERM")
                .isNotNull();

        fx.client.pods().inNamespace("default").withName("short").withGracePeriod(1).delete();

        // Within the wait only if the shorter grace took over: the first one is ten minutes.
        await().atMost(WAIT).until(() -> fx.pod("short") == null);
        assertThat(fx.dataplane.netns().exists(netns)).as("sandbox").isFalse();
    }

    @Test
    void anExecPreStopHookRunsBeforeTheContainerIsStopped() {
        Container hooked = new ContainerBuilder(pause("app")).withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("drain", "--now").endExec().endPreStop().endLifecycle().build();
        createRunning("hooked", LONG_GRACE, List.of(hooked));

        fx.client.pods().inNamespace("default").withName("hooked").delete();

        await().atMost(WAIT).until(() -> fx.pod("hooked") == null);
        assertThat(probesRun).anySatisfy(p -> assertThat(p.getExec().getCommand()).containsExactly("drain", "--now"));
    }

    private Pod createRunning(String name, long grace, List<Container> containers) {
        Pod pod = fx.createPod(new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("n1").withTerminationGracePeriodSeconds(grace).withContainers(containers)
                .endSpec().build(), "10.244.1.40");
        await().atMost(WAIT).until(() -> "True".equals(conditions(fx.pod(name)).get("Ready")));
        return pod;
    }

    private static Map<String, String> conditions(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Map.of();
        }
        return pod.getStatus().getConditions().stream()
                .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private static ContainerStatus state(Pod pod, String container) {
        return pod.getStatus().getContainerStatuses().stream().filter(c -> container.equals(c.getName()))
                .findFirst().orElseThrow();
    }
}
