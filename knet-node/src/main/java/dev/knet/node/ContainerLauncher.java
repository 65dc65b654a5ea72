package dev.knet.node;

import dev.knet.workloads.WorkloadDecision;
import dev.knet.workloads.WorkloadException;
import dev.knet.workloads.WorkloadFactory;
import dev.knet.workloads.pod.PodContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts a container the way {@link WorkloadFactory} decides: in-process, as a process, or not at all. */
final class ContainerLauncher {

    /** The outcome of one start attempt. */
    sealed interface Launch {
        record Started(RunningContainer container, String description) implements Launch {
        }

        /** The container cannot start; reason/message go to its waiting state. */
        record Failed(String reason, String message) implements Launch {
        }
    }

    private final Path stateDir;
    private final NodeAgentDeps.NetnsCommand netnsCommand;
    private final ContainerMounts mounts;
    private final PodVolumes volumes;
    private final PodEtcFiles etcFiles;

    ContainerLauncher(Path stateDir, NodeAgentDeps.NetnsCommand netnsCommand, ContainerMounts mounts,
                      PodEtcFiles etcFiles) {
        this.stateDir = stateDir;
        this.etcFiles = etcFiles;
        this.netnsCommand = netnsCommand;
        this.mounts = mounts;
        this.volumes = new PodVolumes(stateDir);
    }

    Launch launch(Pod pod, Container container, PodContext podCtx) {
        WorkloadDecision decision = WorkloadFactory.forContainer(container);
        PodContext ctx = podCtx.withEnv(env(pod, container));
        return switch (decision) {
            case WorkloadDecision.Invalid invalid -> new Launch.Failed("InvalidImageName", invalid.message());
            case WorkloadDecision.BuiltIn builtIn -> {
                try {
                    builtIn.workload().start(ctx);
                    yield new Launch.Started(new RunningContainer.BuiltIn(builtIn.workload(), ctx),
                            builtIn.workload().description());
                } catch (WorkloadException | RuntimeException e) {
                    builtIn.workload().stop();
                    yield new Launch.Failed("CreateContainerError", String.valueOf(e.getMessage()));
                }
            }
            case WorkloadDecision.NotBuiltIn ignored -> startProcess(pod, container, ctx);
        };
    }

    /** The log file of a container: stateDir/logs/NS_POD_CONTAINER.log. */
    static Path logFile(Path stateDir, String namespace, String pod, String container) {
        return stateDir.resolve("logs").resolve(namespace + "_" + pod + "_" + container + ".log");
    }

    private Launch startProcess(Pod pod, Container container, PodContext ctx) {
        List<String> argv = new ArrayList<>(Optional.ofNullable(container.getCommand()).orElse(List.of()));
        argv.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
        List<String> command;
        Map<String, Path> emptyDirs;
        try {
            emptyDirs = volumes.emptyDirs(pod);
            List<BindMount> binds = new ArrayList<>(etcFiles.mounts(pod, ctx.netns()));
            binds.addAll(PodVolumes.mounts(pod, container, emptyDirs));
            command = mounts.wrap(binds, ctx.hostname(), argv);
        } catch (IOException | IllegalArgumentException e) {
            return new Launch.Failed("CreateContainerConfigError", "volumes: " + e.getMessage());
        }
        try {
            Path log = logFile(stateDir, ctx.namespace(), ctx.name(), container.getName());
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(netnsCommand.wrap(ctx.netns(), command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(ctx.env());
            pb.environment().putAll(PodVolumes.env(emptyDirs));
            if (container.getWorkingDir() != null && Files.isDirectory(Path.of(container.getWorkingDir()))) {
                pb.directory(Path.of(container.getWorkingDir()).toFile());
            }
            return new Launch.Started(new RunningContainer.OsProcess(pb.start(), ctx), String.join(" ", argv));
        } catch (IOException e) {
            return new Launch.Failed("RunContainerError", e.getMessage());
        }
    }

    static Path volumeRoot(Path stateDir, String uid) {
        return PodVolumes.root(stateDir, uid);
    }

    private static Map<String, String> env(Pod pod, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOSTNAME", pod.getMetadata().getName());
        for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                fieldRef(pod, var.getValueFrom().getFieldRef().getFieldPath())
                        .ifPresent(v -> env.put(var.getName(), v));
            }
        }
        return env;
    }

    private static Optional<String> fieldRef(Pod pod, String path) {
        return Optional.ofNullable(switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "status.podIP" -> pod.getStatus().getPodIP();
            case "status.hostIP" -> pod.getStatus().getHostIP();
            default -> null;
        });
    }
}
