package dev.knet.control.ipam;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.journal.FileJournal;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Restarts of the whole process: a store reopened from its journal and a fresh control plane. */
class PodIpamRestartTest {

    private static ClusterConfig twoSmallNodes() {
        ClusterConfig d = ClusterConfig.defaults();
        return new ClusterConfig("restart", ClusterConfig.defaultNodes(2, "198.18.0.11"), d.clusterCidrs(), 28, 64,
                d.serviceCidr(), d.nodePortRange(), d.loadBalancerPool());
    }

    private static Map<String, String> ips(TestCluster c) {
        return c.pods().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getStatus().getPodIP()));
    }

    @Test
    void addressesAndNodeCidrsSurviveAProcessRestartAndAreNeverHandedOutTwice(@TempDir Path state) {
        Map<String, String> before;
        Map<String, String> cidrs;
        try (TestCluster c = new TestCluster(twoSmallNodes(), ControlPlane.Options.withNodeAgents(), FileJournal.open(state))) {
            c.awaitIdle();
            for (int i = 0; i < 10; i++) {
                c.store.create(TestCluster.pod("a" + i, Map.of()));
            }
            c.awaitIdle();
            before = ips(c);
            cidrs = c.store.list(ResourceKinds.NODE, ListOptions.all()).items().stream()
                    .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n.getSpec().getPodCIDR()));
            c.store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", "a3", Mutation.Grace.IMMEDIATE)));
            before.remove("a3");
        }
        try (TestCluster c = new TestCluster(twoSmallNodes(), ControlPlane.Options.withNodeAgents(), FileJournal.open(state))) {
            for (int i = 0; i < 12; i++) {
                c.store.create(TestCluster.pod("b" + i, Map.of()));
            }
            c.awaitIdle();
            Map<String, String> after = ips(c);
            assertThat(after).containsAllEntriesOf(before);
            assertThat(after.values()).doesNotContainNull().doesNotHaveDuplicates();
            for (Node n : c.store.list(ResourceKinds.NODE, ListOptions.all()).items()) {
                assertThat(n.getSpec().getPodCIDR()).isEqualTo(cidrs.get(n.getMetadata().getName()));
            }
            for (Pod p : c.pods()) {
                Node n = c.store.get(ResourceKinds.NODE, null, p.getSpec().getNodeName()).orElseThrow();
                assertThat(dev.knet.model.net.Cidr.parse(n.getSpec().getPodCIDR()).contains(p.getStatus().getPodIP())).isTrue();
            }
        }
    }
}
