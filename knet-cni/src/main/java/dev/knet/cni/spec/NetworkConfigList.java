package dev.knet.cni.spec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A network configuration list (a .conflist). Each plugin entry stays a raw JSON object because its
 * fields belong to that plugin; the runtime only reads {@code type} and {@code capabilities}.
 */
public record NetworkConfigList(String cniVersion, List<String> cniVersions, String name, boolean disableCheck,
                                boolean disableGC, List<ObjectNode> plugins) {

    public NetworkConfigList {
        cniVersions = cniVersions == null ? List.of() : List.copyOf(cniVersions);
        plugins = List.copyOf(plugins);
        if (name == null || name.isBlank()) {
            throw invalid("network configuration has no name");
        }
        if (plugins.isEmpty()) {
            throw invalid("network configuration " + name + " has no plugins");
        }
        for (ObjectNode p : plugins) {
            if (!p.path("type").isString()) {
                throw invalid("a plugin of network " + name + " has no type");
            }
        }
    }

    /**
     * Parses a .conflist, or a single-plugin .conf (which libcni also accepts and wraps). The
     * highest supported entry of {@code cniVersions} wins over {@code cniVersion}, as in spec 1.1.
     */
    public static NetworkConfigList parse(String json) {
        ObjectNode root = CniJson.readObject(json);
        List<String> versions = new ArrayList<>();
        root.path("cniVersions").forEach(v -> versions.add(v.asString()));
        String version = versions.stream().filter(CniVersions::supported).max(CniVersions::compare)
                .orElse(root.path("cniVersion").asString(""));
        if (version.isEmpty()) {
            throw invalid("network configuration has no cniVersion");
        }
        List<ObjectNode> plugins = new ArrayList<>();
        JsonNode list = root.get("plugins");
        if (list == null) {
            plugins.add(root.deepCopy());
        } else {
            list.forEach(p -> {
                if (!(p instanceof ObjectNode o)) {
                    throw invalid("plugins must be objects");
                }
                plugins.add(o);
            });
        }
        return new NetworkConfigList(version, versions, root.path("name").asString(null),
                root.path("disableCheck").asBoolean(false), root.path("disableGC").asBoolean(false), plugins);
    }

    public String pluginType(int index) {
        return plugins.get(index).path("type").asString();
    }

    private static CniException invalid(String msg) {
        return new CniException(CniError.of(CniError.INVALID_CONFIG, msg, null));
    }
}
