package dev.knet.lab;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import io.fabric8.kubernetes.api.model.Node;

import java.util.Map;
import java.util.TreeMap;

/** Reads the podCIDR the control plane wrote into each Node's spec: the source the controllers follow. */
public final class NodePodCidrs {

    private NodePodCidrs() {
    }

    /** Node name to its (first, IPv4) podCIDR, for nodes that have one. */
    public static Map<String, String> read(ApiStore store) {
        Map<String, String> out = new TreeMap<>();
        for (Node node : store.list(ResourceKinds.NODE, ListOptions.all()).items()) {
            if (node.getSpec() != null && node.getSpec().getPodCIDR() != null) {
                out.put(node.getMetadata().getName(), node.getSpec().getPodCIDR());
            }
        }
        return out;
    }
}
