package dev.knet.cli.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.config.NodeConfig;
import dev.knet.model.KnetJson;
import dev.knet.model.net.Cidr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a cluster's configuration as the cluster.yaml that ClusterConfigLoader reads back. */
public final class ClusterConfigFile {

    private ClusterConfigFile() {
    }

    public static void write(ClusterConfig config, Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", config.name());
        List<Map<String, Object>> nodes = config.nodes().stream().map(ClusterConfigFile::node).toList();
        m.put("nodes", nodes);
        m.put("clusterCidr", config.clusterCidrs().stream().map(Cidr::toString).toList());
        m.put("nodeMaskSize", config.nodeMaskV4());
        m.put("serviceCidr", config.serviceCidr().toString());
        m.put("nodePortRange", config.nodePortRange().toString());
        m.put("loadBalancerPool", config.loadBalancerPool().toString());
        Files.createDirectories(file.getParent());
        Files.writeString(file, KnetJson.toYaml(m));
    }

    private static Map<String, Object> node(NodeConfig n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("internalIP", n.internalIp());
        m.put("labels", n.labels());
        return m;
    }
}
