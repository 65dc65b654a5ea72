package dev.knet.cni.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Per-attachment inputs of the runtime: the container, its netns path, the interface name,
 * CNI_ARGS pairs and capability arguments (e.g. "ips" -> ["10.244.1.5/24"]) that reach only the
 * plugins that declare the capability.
 */
public record RuntimeConf(String containerId, String netns, String ifName, Map<String, String> args,
                          Map<String, Object> capabilityArgs) {

    public RuntimeConf {
        args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        capabilityArgs = capabilityArgs == null ? Map.of() : Map.copyOf(capabilityArgs);
    }

    public static RuntimeConf of(String containerId, String netns, String ifName) {
        return new RuntimeConf(containerId, netns, ifName, Map.of(), Map.of());
    }

    public RuntimeConf withCapability(String name, Object value) {
        Map<String, Object> caps = new LinkedHashMap<>(capabilityArgs);
        caps.put(name, value);
        return new RuntimeConf(containerId, netns, ifName, args, caps);
    }

    public RuntimeConf withArg(String key, String value) {
        Map<String, String> a = new LinkedHashMap<>(args);
        a.put(key, value);
        return new RuntimeConf(containerId, netns, ifName, a, capabilityArgs);
    }

    /** CNI_ARGS form: "K1=V1;K2=V2". */
    public String cniArgs() {
        return args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }
}
