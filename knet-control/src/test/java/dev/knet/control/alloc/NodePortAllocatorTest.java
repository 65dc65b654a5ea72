package dev.knet.control.alloc;

import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodePortAllocatorTest {

    private final TestCluster cluster = new TestCluster(ClusterConfig.defaults(), null);

    @AfterEach
    void close() {
        cluster.close();
    }

    static Service svc(String name, String type, Integer... nodePorts) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType(type).endSpec();
        for (int i = 0; i < nodePorts.length; i++) {
            b.editSpec().addToPorts(new ServicePortBuilder().withName("p" + i).withPort(80 + i)
                    .withNodePort(nodePorts[i]).build()).endSpec();
        }
        return b.build();
    }

    @Test
    void nodePortAndLoadBalancerServicesGetPortsInTheRange() {
        Service np = cluster.store.create(svc("np", "NodePort", null, null));
        Service lb = cluster.store.create(svc("lb", "LoadBalancer", (Integer) null));
        assertThat(np.getSpec().getPorts()).extracting(p -> p.getNodePort()).allSatisfy(p -> assertThat(p).isBetween(30000, 32767))
                .doesNotHaveDuplicates();
        assertThat(lb.getSpec().getPorts().getFirst().getNodePort()).isBetween(30000, 32767)
                .isNotIn(np.getSpec().getPorts().get(0).getNodePort(), np.getSpec().getPorts().get(1).getNodePort());
        assertThat(cluster.store.create(svc("cip", "ClusterIP", (Integer) null)).getSpec().getPorts().getFirst().getNodePort())
                .isNull();
    }

    @Test
    void aTakenPortIsRefusedWithTheKubernetesMessage() {
        cluster.store.create(svc("a", "NodePort", 30080));
        assertThatThrownBy(() -> cluster.store.create(svc("b", "NodePort", 30080)))
                .isInstanceOf(ApiException.Invalid.class)
                .hasMessage("Service default/b is invalid: spec.ports[0].nodePort: Invalid value: 30080: "
                        + "provided port is already allocated");
    }

    @Test
    void anOutOfRangePortIsRefused() {
        assertThatThrownBy(() -> cluster.store.create(svc("b", "NodePort", 40000)))
                .isInstanceOf(ApiException.Invalid.class)
                .hasMessage("Service default/b is invalid: spec.ports[0].nodePort: Invalid value: 40000: "
                        + "provided port is not in the valid range. The range of valid ports is 30000-32767");
    }

    @Test
    void aReleasedPortCanBeRequestedAgain() {
        cluster.store.create(svc("a", "NodePort", 30080));
        cluster.store.delete(ResourceKinds.SERVICE, "default", "a");
        assertThat(cluster.store.create(svc("b", "NodePort", 30080)).getSpec().getPorts().getFirst().getNodePort())
                .isEqualTo(30080);
    }

    @Test
    void anUpdateLeavingNodePortsEmptyKeepsThem() {
        int port = cluster.store.create(svc("a", "NodePort", (Integer) null)).getSpec().getPorts().getFirst().getNodePort();
        assertThat(cluster.store.update(svc("a", "NodePort", (Integer) null)).getSpec().getPorts().getFirst().getNodePort())
                .isEqualTo(port);
    }

    @Test
    void changingToClusterIpReleasesTheNodePorts() {
        cluster.store.create(svc("a", "NodePort", 30080));
        assertThat(cluster.store.update(svc("a", "ClusterIP", (Integer) null)).getSpec().getPorts().getFirst().getNodePort())
                .isNull();
        assertThat(cluster.store.create(svc("b", "NodePort", 30080)).getSpec().getPorts().getFirst().getNodePort())
                .isEqualTo(30080);
    }

    @Test
    void localLoadBalancersGetAHealthCheckNodePortThatClusterOnesDoNot() {
        Service local = svc("a", "LoadBalancer", (Integer) null);
        local.getSpec().setExternalTrafficPolicy("Local");
        Service stored = cluster.store.create(local);
        assertThat(stored.getSpec().getHealthCheckNodePort()).isBetween(30000, 32767)
                .isNotEqualTo(stored.getSpec().getPorts().getFirst().getNodePort());
        Service cluster1 = svc("b", "LoadBalancer", (Integer) null);
        cluster1.getSpec().setExternalTrafficPolicy("Cluster");
        assertThat(cluster.store.create(cluster1).getSpec().getHealthCheckNodePort()).isNull();
        Service again = svc("a", "LoadBalancer", (Integer) null);
        again.getSpec().setExternalTrafficPolicy("Local");
        assertThat(cluster.store.update(again).getSpec().getHealthCheckNodePort())
                .isEqualTo(stored.getSpec().getHealthCheckNodePort());
    }
}
