package dev.knet.cli.cluster;

import dev.knet.cli.KnetHome;
import dev.knet.control.ClusterConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Connects a command to its cluster: the running lab daemon if there is one, else the local state. */
public final class Clusters {

    private Clusters() {
    }

    public static ClusterClient connect(KnetHome home) {
        return LocalCluster.open(home.storeDir(), config(home));
    }

    /** The cluster's configuration: cluster.yaml beside the store if present, else the defaults. */
    public static ClusterConfig config(KnetHome home) {
        Path file = home.storeDir().resolveSibling("cluster.yaml");
        if (Files.exists(file)) {
            try {
                return ClusterConfig.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ClusterConfig.defaults(home.clusterName());
    }
}
