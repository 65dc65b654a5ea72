package dev.knet.cli;

import java.nio.file.Path;

/**
 * Where knet keeps state: KNET_HOME (default ~/.knet), one folder per cluster name under
 * clusters/. --state-dir names a cluster's store folder directly.
 */
public record KnetHome(Path root, String clusterName, Path stateDirOverride) {

    public static KnetHome resolve(String clusterName, Path stateDir) {
        String env = System.getenv("KNET_HOME");
        Path root = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".knet");
        return new KnetHome(root, clusterName, stateDir);
    }

    public Path clusterDir() {
        return root.resolve("clusters").resolve(clusterName);
    }

    /** The API store's folder for this cluster. */
    public Path storeDir() {
        return stateDirOverride != null ? stateDirOverride : clusterDir().resolve("store");
    }
}
