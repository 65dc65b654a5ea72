package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** emptyDir volumes become one directory per pod and volume; volumeMounts become bind mounts of it. */
class PodVolumesTest {

    @TempDir
    Path state;

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u1").endMetadata()
                .withNewSpec()
                .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("scratch-space").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .addNewVolume().withName("conf").withNewConfigMap().withName("cm").endConfigMap().endVolume()
                .endSpec().build();
    }

    private static Container mounting(VolumeMount... mounts) {
        return new ContainerBuilder().withName("c").withVolumeMounts(mounts).build();
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }

    static Stream<Arguments> mounts() {
        return Stream.of(
                argumentSet("emptyDir at its mountPath", mounting(mount("cache", "/data")),
                        List.of(new BindMount(Path.of("volumes/u1/cache"), "/data", BindMount.Access.READ_WRITE))),
                argumentSet("readOnly", mounting(new VolumeMountBuilder(mount("cache", "/ro")).withReadOnly(true)
                                .build()),
                        List.of(new BindMount(Path.of("volumes/u1/cache"), "/ro", BindMount.Access.READ_ONLY))),
                argumentSet("subPath is a folder inside the volume", mounting(new VolumeMountBuilder(
                                mount("cache", "/logs")).withSubPath("a/logs").build()),
                        List.of(new BindMount(Path.of("volumes/u1/cache/a/logs"), "/logs",
                                BindMount.Access.READ_WRITE))),
                argumentSet("two volumes in spec order", mounting(mount("scratch-space", "/s"), mount("cache", "/c")),
                        List.of(new BindMount(Path.of("volumes/u1/scratch-space"), "/s", BindMount.Access.READ_WRITE),
                                new BindMount(Path.of("volumes/u1/cache"), "/c", BindMount.Access.READ_WRITE))),
                argumentSet("a configMap volume is not mounted", mounting(mount("conf", "/etc/conf")), List.of()),
                argumentSet("no volumeMounts", mounting(), List.of()));
    }

    @ParameterizedTest
    @MethodSource("mounts")
    void volumeMountsBecomeBindMounts(Container container, List<BindMount> expected) throws Exception {
        Map<String, Path> dirs = new PodVolumes(state).emptyDirs(pod());

        List<BindMount> mounts = PodVolumes.mounts(pod(), container, dirs);

        assertThat(mounts).containsExactlyElementsOf(expected.stream().map(m ->
                new BindMount(state.resolve(m.source()), m.mountPath(), m.access())).toList());
        mounts.forEach(m -> assertThat(m.source()).isDirectory());
    }

    @Test
    void emptyDirsAreOneFolderPerPodAndVolumeExportedInTheEnvironment() throws Exception {
        Map<String, Path> dirs = new PodVolumes(state).emptyDirs(pod());

        assertThat(dirs).containsOnlyKeys("cache", "scratch-space");
        assertThat(dirs.get("cache")).isEqualTo(PodVolumes.root(state, "u1").resolve("cache")).isDirectory();
        assertThat(PodVolumes.env(dirs)).containsEntry("KNET_VOLUME_SCRATCH_SPACE", dirs.get("scratch-space").toString());
    }

    @Test
    void subPathLeavingItsVolumeIsRefused() throws Exception {
        Map<String, Path> dirs = new PodVolumes(state).emptyDirs(pod());
        Container escaping = mounting(new VolumeMountBuilder(mount("cache", "/x")).withSubPath("../../etc").build());

        assertThatThrownBy(() -> PodVolumes.mounts(pod(), escaping, dirs))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves volume cache");
        assertThat(Files.exists(state.resolve("volumes/etc"))).isFalse();
    }
}
