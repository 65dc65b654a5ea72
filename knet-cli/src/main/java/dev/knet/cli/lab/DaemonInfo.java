package dev.knet.cli.lab;

import dev.knet.model.KnetJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a running lab daemon publishes in its cluster folder (daemon.json): its pid, the URL of its
 * API on loopback, and how the lab was built. Commands find the daemon through it.
 */
public record DaemonInfo(long pid, String apiUrl, String clusterName, String mode, int nodes, String startedAt) {

    public static final String FILE = "daemon.json";

    public void write(Path clusterDir) throws IOException {
        Files.createDirectories(clusterDir);
        Path tmp = clusterDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, KnetJson.toJson(this));
        Files.move(tmp, clusterDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The daemon of a cluster, if its file exists and its process is alive. */
    public static Optional<DaemonInfo> running(Path clusterDir) {
        Path file = clusterDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            DaemonInfo info = KnetJson.fromJson(Files.readString(file), DaemonInfo.class);
            return ProcessHandle.of(info.pid()).filter(ProcessHandle::isAlive).map(p -> info);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
