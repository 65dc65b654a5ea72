package dev.knet.cni.runtime;

import dev.knet.cni.spec.Attachment;
import dev.knet.cni.spec.CniCommand;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniJson;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResult;
import dev.knet.cni.spec.CniVersions;
import dev.knet.cni.spec.NetworkConfigList;
import dev.knet.cni.spec.VersionResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs plugin chains the way libcni does: ADD in list order, each plugin receiving the previous
 * one's result as {@code prevResult}; DEL in reverse order with the cached ADD result; CHECK with
 * the cached result; STATUS and GC (spec 1.1) over the whole list. Plugins are found by
 * {@code type} in CNI_PATH and run through a {@link PluginExec}. A failed ADD is not undone here:
 * as with libcni, the caller issues DEL (which tolerates a half-made attachment).
 */
public final class CniRuntime {

    private final List<Path> cniPath;
    private final PluginExec exec;
    private final ResultCache cache;

    public CniRuntime(List<Path> cniPath, Path cacheDir, PluginExec exec) {
        this.cniPath = List.copyOf(cniPath);
        this.exec = exec;
        this.cache = new ResultCache(cacheDir);
    }

    public CniResult addNetworkList(NetworkConfigList list, RuntimeConf rt) {
        ObjectNode prev = null;
        for (ObjectNode plugin : list.plugins()) {
            prev = invoke(CniCommand.ADD, list, plugin, rt, prev).orElseThrow(() -> new CniException(
                    CniError.of(CniError.DECODE, "plugin " + plugin.path("type").asString() + " returned no result",
                            null)));
        }
        cache.put(list.name(), rt, prev);
        return CniJson.convert(prev, CniResult.class);
    }

    public void delNetworkList(NetworkConfigList list, RuntimeConf rt) {
        ObjectNode cached = CniVersions.atLeast(list.cniVersion(), "0.4.0")
                ? cache.get(list.name(), rt.containerId(), rt.ifName()).orElse(null) : null;
        for (int i = list.plugins().size() - 1; i >= 0; i--) {
            invoke(CniCommand.DEL, list, list.plugins().get(i), rt, cached);
        }
        cache.remove(list.name(), rt.containerId(), rt.ifName());
    }

    public void checkNetworkList(NetworkConfigList list, RuntimeConf rt) {
        if (!CniVersions.atLeast(list.cniVersion(), "0.4.0")) {
            throw new CniException(CniError.of(CniError.INCOMPATIBLE_VERSION,
                    "CHECK needs cniVersion 0.4.0 or later, network has " + list.cniVersion(), null));
        }
        if (list.disableCheck()) {
            return;
        }
        ObjectNode cached = cache.get(list.name(), rt.containerId(), rt.ifName()).orElseThrow(() -> new CniException(
                CniError.of(CniError.UNKNOWN_CONTAINER, "no cached result for " + rt.containerId() + "/" + rt.ifName(),
                        null)));
        for (ObjectNode plugin : list.plugins()) {
            invoke(CniCommand.CHECK, list, plugin, rt, cached);
        }
    }

    /** STATUS of every plugin; a list older than 1.1.0 cannot be asked and counts as ready. */
    public void statusNetworkList(NetworkConfigList list) {
        if (!CniVersions.atLeast(list.cniVersion(), "1.1.0")) {
            return;
        }
        for (ObjectNode plugin : list.plugins()) {
            invoke(CniCommand.STATUS, list, plugin, null, null);
        }
    }

    /**
     * GC: tells each plugin which attachments are still valid, then drops cached results of the
     * others (libcni does the same). Lists older than 1.1.0, or with disableGC, are left alone.
     */
    public void gcNetworkList(NetworkConfigList list, List<Attachment> valid) {
        if (!CniVersions.atLeast(list.cniVersion(), "1.1.0") || list.disableGC()) {
            return;
        }
        for (ObjectNode plugin : list.plugins()) {
            ObjectNode conf = pluginConf(list, plugin, null, null);
            ArrayNode attachments = conf.putArray("cni.dev/valid-attachments");
            valid.forEach(a -> attachments.add(CniJson.toObject(a)));
            run(CniCommand.GC, plugin.path("type").asString(), conf, null);
        }
        Set<String> keep = new HashSet<>();
        valid.forEach(a -> keep.add(a.containerID() + "/" + a.ifname()));
        for (String[] a : cache.attachments(list.name())) {
            if (!keep.contains(a[0] + "/" + a[1])) {
                cache.remove(list.name(), a[0], a[1]);
            }
        }
    }

    public VersionResult version(String pluginType) {
        ObjectNode conf = CniJson.mapper().createObjectNode().put("cniVersion", CniVersions.CURRENT);
        return CniJson.convert(run(CniCommand.VERSION, pluginType, conf, null).orElseThrow(), VersionResult.class);
    }

    /** The result cached by ADD for an attachment, if any. */
    public Optional<CniResult> cachedResult(String network, String containerId, String ifName) {
        return cache.get(network, containerId, ifName).map(r -> CniJson.convert(r, CniResult.class));
    }

    private Optional<ObjectNode> invoke(CniCommand command, NetworkConfigList list, ObjectNode plugin,
                                        RuntimeConf rt, ObjectNode prevResult) {
        return run(command, plugin.path("type").asString(), pluginConf(list, plugin, rt, prevResult), rt);
    }

    /** libcni's buildOneConfig: name and cniVersion from the list, prevResult, and granted capabilities. */
    static ObjectNode pluginConf(NetworkConfigList list, ObjectNode plugin, RuntimeConf rt, ObjectNode prevResult) {
        ObjectNode conf = plugin.deepCopy();
        conf.put("name", list.name());
        conf.put("cniVersion", list.cniVersion());
        if (prevResult != null) {
            conf.set("prevResult", prevResult);
        }
        if (rt != null && !rt.capabilityArgs().isEmpty()) {
            ObjectNode runtimeConfig = CniJson.mapper().createObjectNode();
            JsonNode caps = plugin.path("capabilities");
            rt.capabilityArgs().forEach((name, value) -> {
                if (caps.path(name).asBoolean(false)) {
                    runtimeConfig.set(name, CniJson.mapper().valueToTree(value));
                }
            });
            if (!runtimeConfig.isEmpty()) {
                conf.set("runtimeConfig", runtimeConfig);
            }
        }
        return conf;
    }

    private Optional<ObjectNode> run(CniCommand command, String type, ObjectNode conf, RuntimeConf rt) {
        Path plugin = find(type);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(CniRequest.COMMAND, command.name());
        if (rt != null) {
            env.put(CniRequest.CONTAINER_ID, rt.containerId());
            env.put(CniRequest.NETNS, rt.netns() == null ? "" : rt.netns());
            env.put(CniRequest.IFNAME, rt.ifName());
            env.put(CniRequest.ARGS, rt.cniArgs());
        }
        env.put(CniRequest.PATH, cniPath.stream().map(Path::toString).collect(Collectors.joining(":")));
        PluginExec.ExecResult r = exec.exec(plugin, env, CniJson.write(conf).getBytes(StandardCharsets.UTF_8));
        String out = new String(r.stdout(), StandardCharsets.UTF_8).strip();
        if (r.exitCode() != 0) {
            throw new CniException(pluginError(type, command, out, r.stderr()));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(CniJson.readObject(out));
    }

    private static CniError pluginError(String type, CniCommand command, String stdout, String stderr) {
        try {
            CniError e = CniJson.read(stdout, CniError.class);
            if (e.code() != 0 || e.msg() != null) {
                return e;
            }
        } catch (CniException notJson) {
            // fall through: a plugin that crashed prints no error object
        }
        return CniError.of(CniError.IO_FAILURE, type + " " + command + " failed without an error object",
                (stdout + " " + stderr).strip());
    }

    private Path find(String type) {
        if (type.contains("/") || type.startsWith(".")) {
            throw new CniException(CniError.of(CniError.INVALID_CONFIG, "invalid plugin type " + type, null));
        }
        if (exec.provides(type)) {
            return Path.of(type);
        }
        List<String> tried = new ArrayList<>();
        for (Path dir : cniPath) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
            tried.add(dir.toString());
        }
        throw new CniException(CniError.of(CniError.IO_FAILURE, "failed to find plugin \"" + type + "\" in path "
                + tried, null));
    }
}
