package dev.knet.control.config;

import dev.knet.model.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterConfigTest {

    @Test
    void defaultsFollowTheLabAddressPlan() {
        ClusterConfig c = ClusterConfig.defaults();
        assertThat(c.nodes()).extracting(NodeConfig::name).containsExactly("node-1", "node-2", "node-3");
        assertThat(c.nodes()).extracting(NodeConfig::internalIp).containsExactly("198.18.0.11", "198.18.0.12", "198.18.0.13");
        assertThat(c.nodes()).extracting(n -> n.labels().get(ClusterConfig.LABEL_ZONE))
                .containsExactly("zone-a", "zone-b", "zone-c");
        assertThat(c.nodes().getFirst().labels()).containsEntry("kubernetes.io/hostname", "node-1")
                .containsEntry("kubernetes.io/os", "linux");
        assertThat(c.clusterCidrs()).containsExactly(Cidr.parse("10.244.0.0/16"));
        assertThat(c.nodeMaskV4()).isEqualTo(24);
        assertThat(c.serviceCidr()).isEqualTo(Cidr.parse("10.96.0.0/16"));
        assertThat(c.nodePortRange()).isEqualTo(new PortRange(30000, 32767));
        assertThat(c.loadBalancerPool()).isEqualTo(Cidr.parse("198.18.0.200/29"));
        assertThat(c.dnsServiceIp()).isEqualTo("10.96.0.10");
    }

    @Test
    void fourthNodeWrapsAroundTheZones() {
        assertThat(ClusterConfig.withNodes("x", 4).nodes().get(3).labels()).containsEntry(ClusterConfig.LABEL_ZONE, "zone-a");
    }

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("YAML with a node count", """
                        name: lab
                        nodeCount: 5
                        clusterCidr: 10.245.0.0/16
                        serviceCidr: 10.97.0.0/16
                        nodePortRange: 31000-31999
                        loadBalancerPool: 198.18.0.224/28
                        """, "lab", 5, "10.245.0.0/16", "10.97.0.0/16", "31000-31999"),
                Arguments.of("JSON with explicit nodes and a dual-stack list", """
                        {"nodes": [{"name": "a", "internalIP": "198.18.0.50", "labels": {"rack": "r1"}}, {"name": "b"}],
                         "clusterCidr": ["10.244.0.0/16", "fd00:10:244::/56"]}
                        """, "knet", 2, "10.244.0.0/16", "10.96.0.0/16", "30000-32767"),
                Arguments.of("empty document gives the defaults", "", "knet", 3, "10.244.0.0/16", "10.96.0.0/16", "30000-32767"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void loadsYamlAndJson(String name, String text, String cluster, int nodes, String clusterCidr, String serviceCidr,
                          String nodePorts) {
        ClusterConfig c = ClusterConfigLoader.parse(text, "test");
        assertThat(c.name()).isEqualTo(cluster);
        assertThat(c.nodes()).hasSize(nodes);
        assertThat(c.clusterCidrs().getFirst()).hasToString(clusterCidr);
        assertThat(c.serviceCidr()).hasToString(serviceCidr);
        assertThat(c.nodePortRange()).hasToString(nodePorts);
    }

    @Test
    void explicitNodesKeepDefaultLabelsAndAddTheirOwn() {
        ClusterConfig c = ClusterConfigLoader.parse("""
                nodes:
                  - name: a
                    internalIP: 198.18.0.50
                    labels: {rack: r1}
                  - name: b
                """, "test");
        assertThat(c.nodes().get(0).internalIp()).isEqualTo("198.18.0.50");
        assertThat(c.nodes().get(0).labels()).containsEntry("rack", "r1").containsEntry("kubernetes.io/hostname", "a");
        assertThat(c.nodes().get(1).internalIp()).isEqualTo("198.18.0.12");
        assertThat(c.nodes().get(1).labels()).containsEntry("topology.kubernetes.io/zone", "zone-b");
    }

    @Test
    void badValuesNameTheSource() {
        assertThatThrownBy(() -> ClusterConfigLoader.parse("serviceCidr: 10.96.0.0/99", "cluster.yaml"))
                .isInstanceOf(ClusterConfigException.class).hasMessageStartingWith("cluster.yaml: ");
        assertThatThrownBy(() -> ClusterConfigLoader.parse("nodePortRange: 40000-30000", "cluster.yaml"))
                .isInstanceOf(ClusterConfigException.class).hasMessageContaining("invalid port range");
        assertThatThrownBy(() -> new ClusterConfig("x", List.of(), List.of(Cidr.parse("10.244.0.0/16")), 12, 64,
                Cidr.parse("10.96.0.0/16"), new PortRange(30000, 32767), Cidr.parse("198.18.0.200/29")))
                .hasMessageContaining("does not fit");
    }
}
