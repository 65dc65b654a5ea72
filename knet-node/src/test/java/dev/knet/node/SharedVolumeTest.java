package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two process containers of one pod share an emptyDir through their volumeMounts (mounts faked by path). */
class SharedVolumeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    private static Container shell(String name, String script, String volume, String mountPath, String subPath) {
        return new ContainerBuilder().withName(name).withImage("busybox:1.36").withCommand("sh", "-c", script)
                .addNewVolumeMount().withName(volume).withMountPath(mountPath).withSubPath(subPath).endVolumeMount()
                .build();
    }

    @Test
    void whatOneContainerWritesTheOtherReadsAndDeletionRemovesTheVolume() throws Exception {
        PathSubstitutingMounts mounts = new PathSubstitutingMounts();
        try (AgentFixture fx = new AgentFixture(dir); NodeAgent agent = fx.startAgent(fx.deps().withMounts(mounts))) {
            fx.createPod(new PodBuilder().withNewMetadata().withName("two").withNamespace("default").endMetadata()
                    .withNewSpec().withNodeName("n1")
                    .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                    .withContainers(
                            shell("writer", "echo from-writer > /data/msg; exec sleep 300", "shared", "/data", null),
                            shell("reader", "until [ -s /cache/msg ]; do sleep 0.1; done; cat /cache/msg; exec sleep 300",
                                    "shared", "/cache", null))
                    .endSpec().build(), "10.244.1.9");
            String uid = fx.pod("two").getMetadata().getUid();
            Path log = PodExec.logFile(dir.resolve("state"), "default", "two", "reader");

            await().atMost(WAIT).until(() -> Files.exists(log) && Files.readString(log).contains("from-writer"));

            Path volume = PodVolumes.root(dir.resolve("state"), uid).resolve("shared");
            assertThat(volume.resolve("msg")).hasContent("from-writer");
            assertThat(mounts.seen()).containsExactlyInAnyOrder(
                    List.of(new BindMount(volume, "/data", BindMount.Access.READ_WRITE)),
                    List.of(new BindMount(volume, "/cache", BindMount.Access.READ_WRITE)));

            fx.client.pods().inNamespace("default").withName("two").delete();
            await().atMost(WAIT).until(() -> fx.pod("two") == null);
            await().atMost(WAIT).until(() -> !Files.exists(PodVolumes.root(dir.resolve("state"), uid)));
        }
    }

    @Test
    void aSubPathLeavingTheVolumeKeepsTheContainerWaitingWithTheReason() throws Exception {
        try (AgentFixture fx = new AgentFixture(dir);
             NodeAgent agent = fx.startAgent(fx.deps().withMounts(new PathSubstitutingMounts()))) {
            fx.createPod(new PodBuilder().withNewMetadata().withName("escape").withNamespace("default").endMetadata()
                    .withNewSpec().withNodeName("n1")
                    .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                    .withContainers(shell("c", "exec sleep 300", "shared", "/data", "../../../etc"))
                    .endSpec().build(), "10.244.1.10");

            await().atMost(WAIT).untilAsserted(() -> {
                List<ContainerStatus> statuses = fx.pod("escape").getStatus().getContainerStatuses();
                assertThat(statuses).isNotNull().hasSize(1);
                assertThat(statuses.getFirst().getState().getWaiting()).isNotNull();
                assertThat(statuses.getFirst().getState().getWaiting().getReason())
                        .isEqualTo("CreateContainerConfigError");
                assertThat(statuses.getFirst().getState().getWaiting().getMessage()).contains("leaves volume shared");
            });
        }
    }
}
