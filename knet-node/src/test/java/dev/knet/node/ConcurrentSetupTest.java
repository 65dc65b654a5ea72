package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several pods of one node are set up at the same time, each by one worker. */
class ConcurrentSetupTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WORKERS = 4;
    @TempDir
    Path dir;
    private AgentFixture fx;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        fx = new AgentFixture(dir);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        fx.close();
    }

    private static Container pause() {
        return new ContainerBuilder().withName("pause").withImage("registry.k8s.io/pause:3.10").build();
    }

    @Test
    void podsAreSetUpConcurrentlyUpToTheWorkerCount() {
        // every ADD waits until WORKERS of them run together: one worker at a time could never get there
        fx.cni.holdAddsUntilInFlight(WORKERS);
        agent = fx.startAgent(fx.deps().withWorkers(WORKERS));

        IntStream.range(0, WORKERS).forEach(i -> fx.createPod("p" + i, "10.244.1." + (10 + i), pause()));

        await().atMost(WAIT).until(() -> IntStream.range(0, WORKERS)
                .allMatch(i -> "Running".equals(fx.pod("p" + i).getStatus().getPhase())));
        assertThat(fx.cni.maxAddsInFlight()).isEqualTo(WORKERS);
        assertThat(fx.cni.calls("ADD")).as("one ADD per pod: no pod was set up twice").hasSize(WORKERS);
    }

    @Test
    void moreWorkersThanPodsStillSetEachPodUpOnce() {
        agent = fx.startAgent(fx.deps().withWorkers(8));

        IntStream.range(0, 12).forEach(i -> fx.createPod("q" + i, "10.244.1." + (20 + i), pause()));

        await().atMost(WAIT).until(() -> IntStream.range(0, 12)
                .allMatch(i -> "Running".equals(fx.pod("q" + i).getStatus().getPhase())));
        assertThat(fx.cni.calls("ADD")).hasSize(12);
        assertThat(fx.cni.calls("ADD").stream().map(FakeCni.Call::containerId).distinct()).hasSize(12);
    }

    @Test
    void theFirstStatusWriteIsNotRefusedAsAConflict() {
        // the pod (with the IP IPAM gave it) exists before the agent starts: a pod created while the agent runs
        // can be picked up before the fixture writes its IP, and that fixture write is a real, expected conflict
        fx.createPod("web", "10.244.1.5", pause());
        agent = fx.startAgent();

        await().atMost(WAIT).until(() -> "Running".equals(fx.pod("web").getStatus().getPhase()));
        // a refused write puts the pod back at the end of the queue: with hundreds of pods, seconds of lag
        assertThat(fx.store.statusConflicts()).isZero();
        assertThat(fx.pod("web").getMetadata().getAnnotations()).containsKey(PodApi.NETNS_ANNOTATION);
    }

    @Test
    void workerCountBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.deps().withWorkers(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
