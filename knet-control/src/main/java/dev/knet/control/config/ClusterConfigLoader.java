package dev.knet.control.config;

import dev.knet.model.KnetJson;
import dev.knet.model.net.Cidr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ClusterConfig} from YAML or JSON. Every field is optional:
 * <pre>
 * name: knet
 * nodeCount: 3                      # or nodes: [{name, internalIP, labels}]
 * firstNodeIP: 198.18.0.11
 * clusterCidr: 10.244.0.0/16        # or a list, one prefix per family
 * nodeMaskSize: 24                  # nodeMaskSizeV6: 64
 * serviceCidr: 10.96.0.0/16
 * nodePortRange: 30000-32767
 * loadBalancerPool: 198.18.0.200/29
 * </pre>
 */
public final class ClusterConfigLoader {

    private ClusterConfigLoader() {
    }

    public static ClusterConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ClusterConfigException(file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static ClusterConfig parse(String text, String source) {
        Map<String, Object> map;
        try {
            Object parsed = text.isBlank() ? Map.of() : KnetJson.serialization().unmarshal(text, Map.class);
            map = parsed == null ? Map.of() : (Map<String, Object>) parsed;
        } catch (RuntimeException e) {
            throw new ClusterConfigException(source + ": not a YAML/JSON mapping: " + e.getMessage(), e);
        }
        try {
            return fromMap(map);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ClusterConfigException(source + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static ClusterConfig fromMap(Map<String, Object> map) {
        ClusterConfig d = ClusterConfig.defaults();
        String name = string(map, "name", d.name());
        String firstIp = string(map, "firstNodeIP", ClusterConfig.DEFAULT_FIRST_NODE_IP);
        List<NodeConfig> nodes;
        if (map.get("nodes") instanceof List<?> list) {
            nodes = new ArrayList<>();
            List<NodeConfig> defaults = ClusterConfig.defaultNodes(list.size(), firstIp);
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> n = (Map<String, Object>) list.get(i);
                String nodeName = string(n, "name", defaults.get(i).name());
                Map<String, String> labels = new LinkedHashMap<>(ClusterConfig.defaultLabels(nodeName, i));
                if (n.get("labels") instanceof Map<?, ?> extra) {
                    extra.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
                }
                nodes.add(new NodeConfig(nodeName, string(n, "internalIP", defaults.get(i).internalIp()), labels));
            }
        } else {
            int count = ((Number) map.getOrDefault("nodeCount", ClusterConfig.DEFAULT_NODE_COUNT)).intValue();
            nodes = ClusterConfig.defaultNodes(count, firstIp);
        }
        List<Cidr> clusterCidrs = d.clusterCidrs();
        Object cc = map.get("clusterCidr");
        if (cc instanceof List<?> l) {
            clusterCidrs = l.stream().map(o -> Cidr.parse(String.valueOf(o))).toList();
        } else if (cc != null) {
            clusterCidrs = List.of(Cidr.parse(String.valueOf(cc)));
        }
        return new ClusterConfig(name, nodes, clusterCidrs,
                ((Number) map.getOrDefault("nodeMaskSize", d.nodeMaskV4())).intValue(),
                ((Number) map.getOrDefault("nodeMaskSizeV6", d.nodeMaskV6())).intValue(),
                Cidr.parse(string(map, "serviceCidr", d.serviceCidr().toString())),
                PortRange.parse(string(map, "nodePortRange", d.nodePortRange().toString())),
                Cidr.parse(string(map, "loadBalancerPool", d.loadBalancerPool().toString())));
    }

    private static String string(Map<String, Object> map, String key, String fallback) {
        Object v = map.get(key);
        return v == null ? fallback : String.valueOf(v);
    }
}
