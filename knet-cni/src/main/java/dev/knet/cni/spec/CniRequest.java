package dev.knet.cni.spec;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One plugin invocation as the protocol defines it: the CNI_* environment plus the configuration
 * on stdin. This is also what the thin client forwards to the agent.
 */
public record CniRequest(Map<String, String> env, byte[] stdin) {

    public static final String COMMAND = "CNI_COMMAND";
    public static final String CONTAINER_ID = "CNI_CONTAINERID";
    public static final String NETNS = "CNI_NETNS";
    public static final String IFNAME = "CNI_IFNAME";
    public static final String ARGS = "CNI_ARGS";
    public static final String PATH = "CNI_PATH";

    public CniRequest {
        env = Map.copyOf(env);
        stdin = stdin.clone();
    }

    /** Keeps only the CNI_* variables (and knet's own), which is all a plugin may depend on. */
    public static CniRequest fromProcess(Map<String, String> environment, byte[] stdin) {
        Map<String, String> env = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k.startsWith("CNI_") || k.startsWith("KNET_")) {
                env.put(k, v);
            }
        });
        return new CniRequest(env, stdin);
    }

    public String get(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new CniException(CniError.of(CniError.INVALID_ENVIRONMENT, name + " is not set", null));
        }
        return v;
    }

    public CniCommand command() {
        return CniCommand.parse(get(COMMAND));
    }

    public String stdinText() {
        return new String(stdin, StandardCharsets.UTF_8);
    }
}
