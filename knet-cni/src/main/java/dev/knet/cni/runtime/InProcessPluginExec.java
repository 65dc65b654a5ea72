package dev.knet.cni.runtime;

import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs some plugin types as functions inside this JVM (the agent hosting knet's plugin: no process,
 * no JVM start) and every other type through {@code fallback}. The protocol is unchanged: the
 * handler sees the same environment and stdin a process would.
 */
public final class InProcessPluginExec implements PluginExec {

    private final Map<String, Function<CniRequest, CniResponse>> handlers;
    private final PluginExec fallback;

    public InProcessPluginExec(Map<String, Function<CniRequest, CniResponse>> handlers, PluginExec fallback) {
        this.handlers = Map.copyOf(handlers);
        this.fallback = fallback;
    }

    @Override
    public boolean provides(String type) {
        return handlers.containsKey(type);
    }

    @Override
    public ExecResult exec(Path plugin, Map<String, String> cniEnv, byte[] stdin) {
        Function<CniRequest, CniResponse> handler = handlers.get(plugin.getFileName().toString());
        if (handler == null) {
            return fallback.exec(plugin, cniEnv, stdin);
        }
        CniResponse response = handler.apply(new CniRequest(cniEnv, stdin));
        return new ExecResult(response.exitCode(), response.stdout(), "");
    }
}
