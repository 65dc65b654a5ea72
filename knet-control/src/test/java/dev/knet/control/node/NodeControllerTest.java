package dev.knet.control.node;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.control.config.NodeConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ListOptions;
import io.fabric8.kubernetes.api.model.Node;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeControllerTest {

    private static Map<String, String> cidrs(TestCluster c) {
        return c.store.list(ResourceKinds.NODE, ListOptions.all()).items().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n.getSpec().getPodCIDR()));
    }

    @Test
    void createsConfiguredNodesWithLabelsAddressesReadinessAndDistinctPodCidrs() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            await().until(() -> c.store.list(ResourceKinds.NODE, ListOptions.all()).items().size() == 3);
            c.awaitIdle();
            Node n2 = c.store.get(ResourceKinds.NODE, null, "node-2").orElseThrow();
            assertThat(n2.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "node-2")
                    .containsEntry("kubernetes.io/os", "linux").containsEntry("topology.kubernetes.io/zone", "zone-b");
            assertThat(n2.getStatus().getAddresses()).anySatisfy(a -> {
                assertThat(a.getType()).isEqualTo("InternalIP");
                assertThat(a.getAddress()).isEqualTo("198.18.0.12");
            });
            assertThat(n2.getStatus().getConditions()).anySatisfy(cond -> {
                assertThat(cond.getType()).isEqualTo("Ready");
                assertThat(cond.getStatus()).isEqualTo("True");
            });
            assertThat(n2.getSpec().getPodCIDRs()).containsExactly(n2.getSpec().getPodCIDR());
            assertThat(cidrs(c)).containsOnlyKeys("node-1", "node-2", "node-3");
            assertThat(cidrs(c).values()).doesNotHaveDuplicates().allSatisfy(v -> assertThat(v).matches("10\\.244\\.\\d+\\.0/24"));
        }
    }

    @Test
    void aNodeKeepsItsCidrAcrossRestartsEvenWhenTheConfigOrderChanges() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            Map<String, String> before = cidrs(c);
            c.controlPlane.close();
            ClusterConfig d = ClusterConfig.defaults();
            List<NodeConfig> reversed = d.nodes().reversed();
            List<NodeConfig> withFourth = new java.util.ArrayList<>(reversed);
            withFourth.add(new NodeConfig("node-4", "198.18.0.14", ClusterConfig.defaultLabels("node-4", 3)));
            ClusterConfig changed = new ClusterConfig(d.name(), withFourth, d.clusterCidrs(), d.nodeMaskV4(), d.nodeMaskV6(),
                    d.serviceCidr(), d.nodePortRange(), d.loadBalancerPool());
            c.controlPlane = ControlPlane.start(c.store, changed, ControlPlane.Options.withNodeAgents());
            c.awaitIdle();
            Map<String, String> after = cidrs(c);
            assertThat(after).containsAllEntriesOf(before).containsKey("node-4");
            assertThat(after.values()).doesNotHaveDuplicates();
        }
    }

    @Test
    void aLabelRemovedByHandIsRestored() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            Node n = c.store.get(ResourceKinds.NODE, null, "node-1").orElseThrow();
            n.getMetadata().getLabels().remove("topology.kubernetes.io/zone");
            n.getMetadata().getLabels().put("extra", "kept");
            c.store.update(n);
            await().untilAsserted(() -> assertThat(c.store.get(ResourceKinds.NODE, null, "node-1").orElseThrow()
                    .getMetadata().getLabels()).containsEntry("topology.kubernetes.io/zone", "zone-a")
                    .containsEntry("extra", "kept"));
        }
    }
}
