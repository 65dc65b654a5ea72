package dev.knet.cli.cluster;

import dev.knet.cli.KnetHome;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.control.config.ClusterConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/** Connects a command to its cluster: the running lab daemon if there is one, else the local state. */
public final class Clusters {

    private Clusters() {
    }

    public static ClusterClient connect(KnetHome home) {
        return DaemonInfo.running(home.clusterDir())
                .<ClusterClient>map(d -> new RestClusterClient(d.apiUrl()))
                .orElseGet(() -> LocalCluster.open(home.storeDir(), config(home)));
    }

    /** The cluster's configuration: cluster.yaml beside the store if present, else the defaults. */
    public static ClusterConfig config(KnetHome home) {
        Path file = home.storeDir().resolveSibling("cluster.yaml");
        if (Files.exists(file)) {
            try {
                return dev.knet.control.config.ClusterConfigLoader.load(file);
            } catch (RuntimeException e) {
                throw new dev.knet.cli.CliException(e.getMessage(), e);
            }
        }
        return ClusterConfig.withNodes(home.clusterName(), ClusterConfig.DEFAULT_NODE_COUNT);
    }
}
