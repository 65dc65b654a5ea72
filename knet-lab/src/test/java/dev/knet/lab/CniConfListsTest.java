package dev.knet.lab;

import tools.jackson.databind.JsonNode;
import dev.knet.cni.spec.CniJson;
import dev.knet.dataplane.FakeDataplane;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CniConfListsTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("bridge: cluster subnet, node range, own gateway", LabMode.BRIDGE, 1500,
                        "10.244.0.0/16", "10.244.2.2", "10.244.2.1"),
                Arguments.of("routed: the node's podCIDR", LabMode.ROUTED, 1500, "10.244.2.0/24", "10.244.2.2", null),
                Arguments.of("vxlan: 50 bytes less MTU", LabMode.VXLAN, 1450, "10.244.2.0/24", "10.244.2.2", null),
                Arguments.of("cloud: the node's podCIDR", LabMode.CLOUD, 1500, "10.244.2.0/24", "10.244.2.2", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void confListPerMode(String name, LabMode mode, int mtu, String subnet, String rangeStart, String gateway)
            throws Exception {
        LabNames names = new LabNames("cc");
        LabNetwork network = new LabNetwork(new FakeDataplane().dataplane(), names, mode,
                List.of(new LabNode("node-1", "198.18.0.11", 1), new LabNode("node-2", "198.18.0.12", 2)),
                List.of("10.244.0.0/16"));
        String json = CniConfLists.forNode(network, network.nodes().get(1), "10.244.2.0/24", "10.244.0.0/16",
                Path.of("/state/ipam"));

        JsonNode root = CniJson.mapper().readTree(json);
        JsonNode plugin = root.get("plugins").get(0);
        assertThat(root.get("cniVersion").asString()).isEqualTo("1.1.0");
        assertThat(plugin.get("type").asString()).isEqualTo("knet");
        assertThat(plugin.get("mode").asString()).isEqualTo(mode.name().toLowerCase());
        assertThat(plugin.get("nodeNetns").asString()).isEqualTo("knet-cc-node-2");
        assertThat(plugin.get("mtu").asInt()).isEqualTo(mtu);
        assertThat(plugin.get("bigTcp").asBoolean()).as("BIG TCP where the underlay has it")
                .isEqualTo(mode != LabMode.VXLAN);
        assertThat(plugin.get("capabilities").get("ips").asBoolean()).isTrue();
        assertThat(plugin.get("ipam").get("subnet").asString()).isEqualTo(subnet);
        assertThat(plugin.get("ipam").get("rangeStart").asString()).isEqualTo(rangeStart);
        assertThat(plugin.get("ipam").has("gateway") ? plugin.get("ipam").get("gateway").asString() : null)
                .isEqualTo(gateway);
    }
}
