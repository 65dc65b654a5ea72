package dev.knet.cni.lab;

import dev.knet.cni.plugin.HostEndName;
import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** knet's plugin on real namespaces: ADD, ping both ways, CHECK, damage, DEL. */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KnetPluginLabTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path ipamDir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bridge, 10.244.1.2/24, 10.244.1.1", "routed, 10.244.1.2/32, 169.254.1.1", "vxlan, 10.244.1.2/32, 169.254.1.1"})
    void addPingCheckDel(String mode, String podCidr, String gateway) throws Exception {
        try (Lab lab = Lab.open()) {
            KnetCniPlugin plugin = new KnetCniPlugin(lab.dp);
            ObjectNode conf = JSON.createObjectNode().put("cniVersion", "1.1.0").put("name", "knet").put("type", "knet")
                    .put("mode", mode).put("nodeNetns", lab.node).put("mtu", 1400);
            conf.putObject("ipam").put("type", "host-local").put("subnet", "10.244.1.0/24")
                    .put("dataDir", ipamDir.toString());

            CniResponse add = call(plugin, "ADD", conf, lab);

            assertThat(add.exitCode()).as(add.stdoutText()).isZero();
            Link eth0 = lab.dp.links().find(lab.pod, "eth0").orElseThrow();
            assertThat(eth0.addresses()).contains(LinkAddress.parse(podCidr));
            assertThat(eth0.mtu()).isEqualTo(1400);
            assertThat(Lab.ping(lab.pod, gateway)).as("pod pings its gateway on the node").isTrue();
            assertThat(Lab.ping(lab.node, "10.244.1.2")).as("node pings the pod").isTrue();

            ObjectNode check = conf.deepCopy();
            check.set("prevResult", JSON.readTree(add.stdoutText()));
            assertThat(call(plugin, "CHECK", check, lab).exitCode()).isZero();
            lab.dp.links().deleteAddress(lab.pod, "eth0", LinkAddress.parse(podCidr));
            JsonNode broken = JSON.readTree(call(plugin, "CHECK", check, lab).stdoutText());
            assertThat(broken.path("code").asInt()).isEqualTo(CniError.CHECK_FAILED);

            assertThat(call(plugin, "DEL", conf, lab).exitCode()).isZero();
            assertThat(lab.dp.links().find(lab.pod, "eth0")).isEmpty();
            assertThat(lab.dp.links().find(lab.node, HostEndName.of("ctr-1", "eth0"))).isEmpty();
            assertThat(call(plugin, "DEL", conf, lab).exitCode()).as("DEL again").isZero();
        }
    }

    static CniResponse call(KnetCniPlugin plugin, String command, ObjectNode conf, Lab lab) {
        Map<String, String> env = new HashMap<>();
        env.put(CniRequest.COMMAND, command);
        env.put(CniRequest.CONTAINER_ID, "ctr-1");
        env.put(CniRequest.IFNAME, "eth0");
        env.put(CniRequest.NETNS, lab.podPath());
        return plugin.handle(new CniRequest(env, conf.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
