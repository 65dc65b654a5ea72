package dev.knet.control.alloc;

import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterIpAllocatorTest {

    private final TestCluster cluster = new TestCluster(ClusterConfig.defaults(), null);

    @AfterEach
    void close() {
        cluster.close();
    }

    static Service svc(String ns, String name, String type, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp).addNewPort().withPort(80).endPort()
                .withExternalName("ExternalName".equals(type) ? "example.org" : null).endSpec().build();
    }

    private Service create(Service s) {
        return cluster.store.create(s);
    }

    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of("ClusterIP gets an address", "ClusterIP", null, true),
                Arguments.of("NodePort gets an address", "NodePort", null, true),
                Arguments.of("LoadBalancer gets an address", "LoadBalancer", null, true),
                Arguments.of("type defaults to ClusterIP", null, null, true),
                Arguments.of("headless gets none", "ClusterIP", "None", false),
                Arguments.of("ExternalName gets none", "ExternalName", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void allocatesByType(String name, String type, String requested, boolean gets) {
        Service s = create(svc("default", "s", type, requested));
        if (gets) {
            assertThat(s.getSpec().getClusterIP()).startsWith("10.96.").isNotEqualTo("10.96.0.10");
            assertThat(s.getSpec().getClusterIPs()).containsExactly(s.getSpec().getClusterIP());
        } else {
            assertThat(s.getSpec().getClusterIP()).isIn(null, "None");
        }
    }

    @Test
    void everyServiceGetsItsOwnAddressAndNeverTheDnsOne() {
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            ips.add(create(svc("default", "s" + i, "ClusterIP", null)).getSpec().getClusterIP());
        }
        assertThat(ips).hasSize(300).doesNotContain("10.96.0.10", "10.96.0.0", "10.96.255.255");
    }

    @Test
    void onlyKubeDnsMayTakeTheTenthAddress() {
        assertThatThrownBy(() -> create(svc("default", "imposter", "ClusterIP", "10.96.0.10")))
                .isInstanceOf(ApiException.Invalid.class).hasMessageContaining("reserved for the cluster DNS");
        assertThat(create(svc("kube-system", "kube-dns", "ClusterIP", "10.96.0.10")).getSpec().getClusterIP())
                .isEqualTo("10.96.0.10");
    }

    @Test
    void aTakenAddressIsRefusedWithTheKubernetesMessage() {
        create(svc("default", "a", "ClusterIP", "10.96.0.50"));
        assertThatThrownBy(() -> create(svc("default", "b", "ClusterIP", "10.96.0.50")))
                .isInstanceOf(ApiException.Invalid.class)
                .hasMessage("Service default/b is invalid: spec.clusterIP: Invalid value: \"10.96.0.50\": "
                        + "provided IP is already allocated");
    }

    @Test
    void anAddressOutsideTheRangeIsRefusedWithTheKubernetesMessage() {
        assertThatThrownBy(() -> create(svc("default", "b", "ClusterIP", "10.97.0.5")))
                .isInstanceOf(ApiException.Invalid.class)
                .hasMessage("Service default/b is invalid: spec.clusterIP: Invalid value: \"10.97.0.5\": "
                        + "provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16");
    }

    @Test
    void anUpdateWithoutClusterIpKeepsTheOldOne() {
        String ip = create(svc("default", "a", "ClusterIP", null)).getSpec().getClusterIP();
        Service update = svc("default", "a", "ClusterIP", null);
        assertThat(cluster.store.update(update).getSpec().getClusterIP()).isEqualTo(ip);
    }

    @Test
    void aDeletedServicesAddressCanBeRequestedAgain() {
        create(svc("default", "a", "ClusterIP", "10.96.0.50"));
        cluster.store.delete(ResourceKinds.SERVICE, "default", "a");
        assertThat(create(svc("default", "b", "ClusterIP", "10.96.0.50")).getSpec().getClusterIP()).isEqualTo("10.96.0.50");
    }

    @Test
    void aRejectedTransactionLeavesItsAddressFree() {
        Namespace missing = new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build();
        // The second mutation fails (default exists), so the whole transaction, Service included, is rejected.
        assertThatThrownBy(() -> cluster.store.commit(List.of(
                new Mutation.Create(svc("default", "a", "ClusterIP", "10.96.0.50")), new Mutation.Create(missing))))
                .isInstanceOf(ApiException.AlreadyExists.class);
        assertThat(create(svc("default", "b", "ClusterIP", "10.96.0.50")).getSpec().getClusterIP()).isEqualTo("10.96.0.50");
    }

    @Test
    void aRejectedDeleteDoesNotFreeTheAddress() {
        create(svc("default", "a", "ClusterIP", "10.96.0.50"));
        assertThatThrownBy(() -> cluster.store.commit(List.of(
                new Mutation.Delete(ResourceKinds.SERVICE, "default", "a", Mutation.Grace.IMMEDIATE),
                new Mutation.Delete(ResourceKinds.SERVICE, "default", "no-such", Mutation.Grace.IMMEDIATE))))
                .isInstanceOf(ApiException.NotFound.class);
        assertThatThrownBy(() -> create(svc("default", "b", "ClusterIP", "10.96.0.50")))
                .hasMessageContaining("provided IP is already allocated");
    }

    @Test
    void twoServicesInOneTransactionNeverShareAnAddress() {
        var stored = cluster.store.commit(List.of(new Mutation.Create(svc("default", "a", "ClusterIP", null)),
                new Mutation.Create(svc("default", "b", "ClusterIP", null))));
        assertThat(((Service) stored.get(0)).getSpec().getClusterIP())
                .isNotEqualTo(((Service) stored.get(1)).getSpec().getClusterIP());
        assertThatThrownBy(() -> cluster.store.commit(List.of(new Mutation.Create(svc("default", "c", "ClusterIP", "10.96.0.77")),
                new Mutation.Create(svc("default", "d", "ClusterIP", "10.96.0.77")))))
                .hasMessageContaining("provided IP is already allocated");
    }
}
