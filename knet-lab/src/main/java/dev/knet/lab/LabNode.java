package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.config.NodeConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One lab node as the topology sees it: its name, underlay address and a small index that keeps
 * interface names in the underlay namespace short (IFNAMSIZ is 16 bytes, node names can be longer).
 */
public record LabNode(String name, String ip, int index) {

    public static List<LabNode> of(ClusterConfig config) {
        List<LabNode> out = new ArrayList<>();
        List<NodeConfig> nodes = config.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(new LabNode(nodes.get(i).name(), nodes.get(i).internalIp(), i + 1));
        }
        return List.copyOf(out);
    }
}
