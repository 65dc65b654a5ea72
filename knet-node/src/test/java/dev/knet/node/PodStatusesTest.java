package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.workloads.agnhost.Pause;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pod phase and Ready from the containers' states, one row per situation. */
class PodStatusesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A container that runs until stopped: the pause workload, never started (no sockets needed). */
    private static RunningContainer running() {
        return new RunningContainer.BuiltIn(new Pause(), null);
    }

    static Stream<Arguments> rows() {
        Consumer<ContainerSlot> run = s -> {
            s.running = running();
            s.startedAt = NOW;
        };
        Consumer<ContainerSlot> invalid = s -> {
            s.done = true;
            s.waitingReason = "InvalidImageName";
        };
        Consumer<ContainerSlot> exited0 = s -> {
            s.done = true;
            s.startedAt = NOW;
            s.lastExitCode = 0;
        };
        Consumer<ContainerSlot> exited1 = s -> {
            s.done = true;
            s.startedAt = NOW;
            s.lastExitCode = 1;
        };
        Consumer<ContainerSlot> backingOff = s -> {
            s.startedAt = NOW;
            s.lastExitCode = 1;
            s.waitingReason = "CrashLoopBackOff";
        };
        Consumer<ContainerSlot> notReady = s -> {
            run.accept(s);
            s.readinessOk = false;
        };
        return Stream.of(
                Arguments.of("all running", run, run, false, "Running", "True"),
                Arguments.of("one not started yet", run, (Consumer<ContainerSlot>) s -> { }, false, "Pending", "False"),
                Arguments.of("invalid image", invalid, run, false, "Pending", "False"),
                Arguments.of("all completed", exited0, exited0, false, "Succeeded", "False"),
                Arguments.of("one failed", exited0, exited1, false, "Failed", "False"),
                Arguments.of("crash loop stays Running", run, backingOff, false, "Running", "False"),
                Arguments.of("readiness probe not passed", run, notReady, true, "Running", "False"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void phaseAndReady(String name, Consumer<ContainerSlot> first, Consumer<ContainerSlot> second,
                       boolean secondHasReadinessProbe, String phase, String ready) {
        PodRuntime rt = new PodRuntime("uid", "knet-t-p-1", null);
        ContainerSlot a = new ContainerSlot(new ContainerBuilder().withName("a").build());
        var secondSpec = new ContainerBuilder().withName("b");
        if (secondHasReadinessProbe) {
            secondSpec.withNewReadinessProbe().withNewTcpSocket().withNewPort(80).endTcpSocket().endReadinessProbe();
        }
        ContainerSlot b = new ContainerSlot(secondSpec.build());
        first.accept(a);
        second.accept(b);
        rt.containers.put("a", a);
        rt.containers.put("b", b);
        Pod pod = new PodBuilder().withNewStatus().withPodIP("10.244.1.5").endStatus().build();

        PodStatus status = PodStatuses.build(pod, rt, "192.168.50.11", NOW);

        assertThat(status.getPhase()).isEqualTo(phase);
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .extracting(PodCondition::getStatus).containsExactly(ready);
        assertThat(status.getPodIP()).isEqualTo("10.244.1.5");
        assertThat(status.getHostIP()).isEqualTo("192.168.50.11");
    }
}
