package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import dev.knet.dataplane.FakeDataplane;
import dev.knet.dataplane.route.Route;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fake node with one pod namespace, and helpers to call the plugin as the runtime would. */
final class PluginFixture {

    static final String NODE = "knet-t-node";
    static final String POD = "knet-t-pod1";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final FakeDataplane fake = new FakeDataplane();
    final KnetCniPlugin plugin = new KnetCniPlugin(fake.dataplane());
    final Path ipamDir;

    PluginFixture(Path ipamDir) {
        this.ipamDir = ipamDir;
        fake.netns().create(NODE);
        fake.netns().create(POD);
    }

    ObjectNode conf(String mode) {
        ObjectNode c = JSON.createObjectNode();
        c.put("cniVersion", "1.1.0").put("name", "knet").put("type", "knet").put("mode", mode)
                .put("nodeNetns", NODE).put("mtu", 1450);
        c.putObject("ipam").put("type", "host-local").put("subnet", "10.244.1.0/24").put("dataDir", ipamDir.toString());
        return c;
    }

    CniResponse call(String command, JsonNode conf, String containerId, String netnsPath) {
        Map<String, String> env = new HashMap<>();
        env.put(CniRequest.COMMAND, command);
        env.put(CniRequest.CONTAINER_ID, containerId);
        env.put(CniRequest.IFNAME, "eth0");
        if (netnsPath != null) {
            env.put(CniRequest.NETNS, netnsPath);
        }
        return plugin.handle(new CniRequest(env, conf.toString().getBytes(StandardCharsets.UTF_8)));
    }

    CniResponse add(JsonNode conf) {
        return call("ADD", conf, "c1", "/run/netns/" + POD);
    }

    CniResponse del(JsonNode conf) {
        return call("DEL", conf, "c1", "/run/netns/" + POD);
    }

    JsonNode json(CniResponse r) {
        return JSON.readTree(r.stdoutText());
    }

    List<String> hostEnds() {
        return fake.links().list(NODE).stream().map(l -> l.name()).filter(HostEndName::isHostEnd).toList();
    }

    List<Route> routes(String ns) {
        return fake.routes().list(ns);
    }

    String[] allocated() {
        java.io.File dir = ipamDir.resolve("knet").toFile();
        String[] files = dir.list((d, n) -> n.matches("[0-9.]+"));
        return files == null ? new String[0] : files;
    }
}
