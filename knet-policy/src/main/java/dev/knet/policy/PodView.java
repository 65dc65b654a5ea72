package dev.knet.policy;

import java.util.List;
import java.util.Map;

/** What policy evaluation needs of a pod: identity, labels, address and container ports. */
public record PodView(String namespace, String name, Map<String, String> labels, String ip,
                      List<ContainerPortView> ports) {

    public PodView {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        ports = List.copyOf(ports == null ? List.of() : ports);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
