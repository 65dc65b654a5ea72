package dev.knet.control.config;

import java.util.Map;
import java.util.Objects;

/** One node of the cluster: its name, its underlay address (InternalIP) and its labels. */
public record NodeConfig(String name, String internalIp, Map<String, String> labels) {

    public NodeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(internalIp, "internalIp");
        labels = Map.copyOf(labels);
    }
}
