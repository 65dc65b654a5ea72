package dev.knet.agent.services;

import java.util.Map;
import java.util.Objects;

/**
 * One endpoint address of a Service as the proxy sees it: its target port per service port name (named
 * target ports are resolved per endpoint by the EndpointSlice controller), its conditions, and whether it
 * runs on this node.
 */
public record EndpointInfo(String ip, Map<String, Integer> ports, Conditions conditions, String nodeName, boolean isLocal) {

    public EndpointInfo {
        Objects.requireNonNull(ip, "ip");
        ports = Map.copyOf(ports);
        Objects.requireNonNull(conditions, "conditions");
        nodeName = nodeName == null ? "" : nodeName;
    }

    public record Conditions(boolean ready, boolean serving, boolean terminating) {
        public static final Conditions READY = new Conditions(true, true, false);
        public static final Conditions TERMINATING_SERVING = new Conditions(false, true, true);
        public static final Conditions NOT_READY = new Conditions(false, false, false);
    }
}
