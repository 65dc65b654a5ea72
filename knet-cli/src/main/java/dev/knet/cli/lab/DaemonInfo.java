package dev.knet.cli.lab;

import dev.knet.model.KnetJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a running lab daemon publishes in its cluster folder (daemon.json): its pid, the URL of its
 * API on loopback, and how the lab was built. Commands find the daemon through it. {@code tablesUrl} is where
 * it serves `get` tables already rendered ({@link TableEndpoint}); null in a file of an older daemon.
 */
public record DaemonInfo(long pid, String apiUrl, String clusterName, String mode, int nodes, String startedAt,
                         String tablesUrl) {

    public static final String FILE = "daemon.json";

    public void write(Path clusterDir) throws IOException {
        Files.createDirectories(clusterDir);
        Path tmp = clusterDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, KnetJson.toJson(this));
        Files.move(tmp, clusterDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The daemon of a cluster, if its file exists and its process is alive. */
    public static Optional<DaemonInfo> running(Path clusterDir) {
        return recorded(clusterDir).filter(DaemonInfo::alive);
    }

    /**
     * A daemon that is recorded but gone: killed (SIGKILL, OOM, a crash) before it could remove its
     * file. Its lab's namespaces, pods included, may still be there for a new daemon to adopt.
     */
    public static Optional<DaemonInfo> dead(Path clusterDir) {
        return recorded(clusterDir).filter(d -> !d.alive());
    }

    /** What daemon.json says, whether or not that daemon still runs. */
    public static Optional<DaemonInfo> recorded(Path clusterDir) {
        Path file = clusterDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KnetJson.fromJson(Files.readString(file), DaemonInfo.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Alive and still the daemon: a recycled pid of an unrelated process does not count. */
    public boolean alive() {
        return DaemonLiveness.alive(pid);
    }

    public static void remove(Path clusterDir) throws IOException {
        Files.deleteIfExists(clusterDir.resolve(FILE));
    }
}
