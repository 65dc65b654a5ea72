package dev.knet.control.ipam;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.model.net.Cidr;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodIpamTest {

    /** One node whose /29 holds five pods. */
    private static ClusterConfig tiny() {
        ClusterConfig d = ClusterConfig.defaults();
        return new ClusterConfig("tiny", ClusterConfig.defaultNodes(1, "198.18.0.11"), d.clusterCidrs(), 29, 64,
                d.serviceCidr(), d.nodePortRange(), d.loadBalancerPool());
    }

    private static void deleteNow(TestCluster c, String name) {
        c.store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", name, Mutation.Grace.IMMEDIATE)));
    }

    @Test
    void boundPodsGetDistinctAddressesFromTheirNodesCidrAndTheNodesInternalIp() {
        try (TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            for (int i = 0; i < 12; i++) {
                c.store.create(TestCluster.pod("p" + i, Map.of()));
            }
            c.awaitIdle();
            List<Pod> pods = c.pods();
            assertThat(pods).extracting(p -> p.getStatus().getPodIP()).doesNotContainNull().doesNotHaveDuplicates();
            for (Pod p : pods) {
                Node node = c.store.get(ResourceKinds.NODE, null, p.getSpec().getNodeName()).orElseThrow();
                Cidr cidr = Cidr.parse(node.getSpec().getPodCIDR());
                assertThat(cidr.contains(p.getStatus().getPodIP())).as("%s in %s", p.getStatus().getPodIP(), cidr).isTrue();
                assertThat(cidr.indexOf(dev.knet.model.net.IpAddresses.parse(p.getStatus().getPodIP()))).isBetween(2L, 254L);
                assertThat(p.getStatus().getPodIPs()).extracting(ip -> ip.getIp()).containsExactly(p.getStatus().getPodIP());
                assertThat(p.getStatus().getHostIP()).isEqualTo(node.getStatus().getAddresses().getFirst().getAddress());
            }
        }
    }

    @Test
    void aFullCidrIsReportedOnThePodAndTheAddressOfADeletedPodIsGivenOut() {
        try (TestCluster c = new TestCluster(tiny(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            for (int i = 1; i <= 6; i++) {
                c.store.create(TestCluster.pod("web-" + i, Map.of()));
                c.awaitIdle();
            }
            Pod starved = c.pod("default", "web-6");
            assertThat(starved.getStatus().getPodIP()).isNull();
            assertThat(starved.getStatus().getMessage())
                    .isEqualTo("no free IP in 10.244.0.0/29 for pod default/web-6 (6 in use)");
            assertThat(starved.getStatus().getConditions()).anySatisfy(cond -> {
                assertThat(cond.getType()).isEqualTo(PodIpam.CONDITION);
                assertThat(cond.getStatus()).isEqualTo("False");
                assertThat(cond.getReason()).isEqualTo("IPAllocationFailed");
            });
            String freed = c.pod("default", "web-2").getStatus().getPodIP();
            deleteNow(c, "web-2");
            c.awaitIdle();
            Pod fed = c.pod("default", "web-6");
            assertThat(fed.getStatus().getPodIP()).isEqualTo(freed);
            assertThat(fed.getStatus().getMessage()).isNull();
            assertThat(fed.getStatus().getConditions()).noneMatch(cond -> PodIpam.CONDITION.equals(cond.getType()));
        }
    }

    @Test
    void aRestartedControlPlaneRebuildsTheAllocationBeforeHandingOutAddresses() {
        try (TestCluster c = new TestCluster(tiny(), ControlPlane.Options.withNodeAgents())) {
            c.awaitIdle();
            for (int i = 1; i <= 3; i++) {
                c.store.create(TestCluster.pod("old-" + i, Map.of()));
            }
            c.awaitIdle();
            c.controlPlane.close();
            // While the control plane is down, one pod goes and two arrive.
            deleteNow(c, "old-1");
            c.store.create(TestCluster.pod("new-1", Map.of()));
            c.store.create(TestCluster.pod("new-2", Map.of()));
            c.store.create(TestCluster.pod("new-3", Map.of()));
            c.controlPlane = ControlPlane.start(c.store, tiny(), ControlPlane.Options.withNodeAgents());
            c.awaitIdle();
            assertThat(c.pods()).hasSize(5).extracting(p -> p.getStatus().getPodIP())
                    .doesNotContainNull().doesNotHaveDuplicates();
        }
    }
}
