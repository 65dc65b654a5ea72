package dev.knet.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's emptyDir volumes as directories under the node's state folder (one per pod uid and volume, so
 * every container of the pod mounting it sees the same files), and a container's volumeMounts as bind
 * mounts of those directories. Other volume types are not materialised: their mounts are skipped with a
 * warning rather than failing the container.
 */
final class PodVolumes {

    private static final Logger LOG = System.getLogger(PodVolumes.class.getName());
    private final Path stateDir;

    PodVolumes(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Where the pod's volumes live; removed with the pod. */
    static Path root(Path stateDir, String uid) {
        return stateDir.resolve("volumes").resolve(uid);
    }

    /** Creates the pod's emptyDir directories and returns them by volume name. */
    Map<String, Path> emptyDirs(Pod pod) throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Volume v : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
            if (v.getEmptyDir() != null) {
                Path dir = root(stateDir, pod.getMetadata().getUid()).resolve(v.getName());
                Files.createDirectories(dir);
                dirs.put(v.getName(), dir);
            }
        }
        return dirs;
    }

    /** KNET_VOLUME_NAME=dir for every emptyDir: how a command finds a volume without a mount. */
    static Map<String, String> env(Map<String, Path> emptyDirs) {
        Map<String, String> env = new LinkedHashMap<>();
        emptyDirs.forEach((name, dir) ->
                env.put("KNET_VOLUME_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), dir.toString()));
        return env;
    }

    /**
     * The container's mounts of emptyDir volumes, in spec order (a later mount may sit inside an earlier
     * one). A subPath is a folder inside the volume, created if missing, as the kubelet does.
     *
     * @throws IllegalArgumentException for a subPath leaving its volume or an invalid mountPath
     */
    static List<BindMount> mounts(Pod pod, Container container, Map<String, Path> emptyDirs) throws IOException {
        List<BindMount> mounts = new ArrayList<>();
        for (VolumeMount vm : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            Path dir = emptyDirs.get(vm.getName());
            if (dir == null) {
                LOG.log(Level.WARNING, "volume " + vm.getName() + " of pod " + pod.getMetadata().getName()
                        + " is not an emptyDir: not mounted in container " + container.getName());
                continue;
            }
            Path source = dir;
            if (vm.getSubPath() != null && !vm.getSubPath().isEmpty()) {
                source = dir.resolve(vm.getSubPath()).normalize();
                if (!source.startsWith(dir) || Path.of(vm.getSubPath()).isAbsolute()) {
                    throw new IllegalArgumentException("subPath " + vm.getSubPath() + " leaves volume " + vm.getName());
                }
                Files.createDirectories(source);
            }
            mounts.add(new BindMount(source, vm.getMountPath(), Boolean.TRUE.equals(vm.getReadOnly())
                    ? BindMount.Access.READ_ONLY : BindMount.Access.READ_WRITE));
        }
        return mounts;
    }
}
