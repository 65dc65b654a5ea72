package dev.knet.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where knet keeps state: KNET_HOME (default ~/.knet), one folder per cluster name under
 * clusters/. --state-dir names a cluster's store folder directly.
 */
public record KnetHome(Path root, String clusterName, Path stateDirOverride) {

    public static KnetHome resolve(String clusterName, Path stateDir) {
        return new KnetHome(root(System.getenv(), System.getProperty("user.home")), clusterName, stateDir);
    }

    /** KNET_HOME when set and not blank, else ~/.knet; the light client resolves it through here as well. */
    public static Path root(Map<String, String> env, String userHome) {
        String home = env.get("KNET_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome, ".knet");
    }

    public Path clusterDir() {
        return root.resolve("clusters").resolve(clusterName);
    }

    /** The API store's folder for this cluster. */
    public Path storeDir() {
        return stateDirOverride != null ? stateDirOverride : clusterDir().resolve("store");
    }
}
