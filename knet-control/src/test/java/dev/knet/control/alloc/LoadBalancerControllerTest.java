package dev.knet.control.alloc;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancerControllerTest {

    /** A pool of four addresses. */
    private static ClusterConfig smallPool() {
        ClusterConfig d = ClusterConfig.defaults();
        return new ClusterConfig(d.name(), d.nodes(), d.clusterCidrs(), d.nodeMaskV4(), d.nodeMaskV6(), d.serviceCidr(),
                d.nodePortRange(), Cidr.parse("198.18.0.200/30"));
    }

    private final TestCluster c = new TestCluster(smallPool(), ControlPlane.Options.withNodeAgents());

    @AfterEach
    void close() {
        c.close();
    }

    static Service lb(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build();
    }

    private String ingress(String name) {
        Service s = c.store.get(ResourceKinds.SERVICE, "default", name).orElseThrow();
        return s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress().isEmpty()
                ? null : s.getStatus().getLoadBalancer().getIngress().getFirst().getIp();
    }

    @Test
    void servicesGetPoolAddressesAndWaitWhenThePoolIsEmpty() {
        for (int i = 0; i < 5; i++) {
            c.store.create(lb("lb" + i));
            c.awaitIdle();
        }
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ips.add(ingress("lb" + i));
        }
        assertThat(ips).containsExactly("198.18.0.200", "198.18.0.201", "198.18.0.202", "198.18.0.203");
        assertThat(ingress("lb4")).as("pending").isNull();

        c.store.delete(ResourceKinds.SERVICE, "default", "lb1");
        c.awaitIdle();
        assertThat(ingress("lb4")).isEqualTo("198.18.0.201");
    }

    @Test
    void aTypeChangeReleasesTheAddressAndClearsTheStatus() {
        c.store.create(lb("a"));
        c.awaitIdle();
        assertThat(ingress("a")).isEqualTo("198.18.0.200");
        Service s = c.store.get(ResourceKinds.SERVICE, "default", "a").orElseThrow();
        s.getSpec().setType("ClusterIP");
        s.getSpec().setExternalTrafficPolicy(null);
        s.getSpec().setAllocateLoadBalancerNodePorts(null);
        s.getSpec().getPorts().getFirst().setNodePort(null);
        c.store.update(s);
        c.awaitIdle();
        assertThat(ingress("a")).isNull();
        c.store.create(lb("b"));
        c.awaitIdle();
        assertThat(ingress("b")).isEqualTo("198.18.0.200");
    }

    @Test
    void aRequestedPoolAddressIsHonoured() {
        Service s = lb("a");
        s.getSpec().setLoadBalancerIP("198.18.0.202");
        c.store.create(s);
        c.awaitIdle();
        assertThat(ingress("a")).isEqualTo("198.18.0.202");
    }

    @Test
    void aRestartKeepsEveryServiceOnItsAddress() {
        c.store.create(lb("a"));
        c.store.create(lb("b"));
        c.awaitIdle();
        String a = ingress("a");
        String b = ingress("b");
        c.controlPlane.close();
        c.controlPlane = ControlPlane.start(c.store, smallPool(), ControlPlane.Options.withNodeAgents());
        c.store.create(lb("c"));
        c.awaitIdle();
        assertThat(ingress("a")).isEqualTo(a);
        assertThat(ingress("b")).isEqualTo(b);
        assertThat(ingress("c")).isNotIn(a, b).isNotNull();
    }
}
