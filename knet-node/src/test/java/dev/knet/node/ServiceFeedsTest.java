package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.knet.agent.services.NodeInfo;
import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a NodeServices wiring, Services and their slices in the API become the node's nftables rules. */
class ServiceFeedsTest {

    @TempDir
    Path dir;

    @Test
    void serviceAndSliceReachTheNodesNftables() throws Exception {
        FakeNftables nft = new FakeNftables();
        try (AgentFixture fx = new AgentFixture(dir)) {
            NodeAgentDeps.NodeServices wiring = new NodeAgentDeps.NodeServices(new NodeInfo("n1",
                    List.of("192.168.50.11"), Cidr.parse("10.244.1.0/24"), Cidr.parse("10.244.0.0/16"), "eth0"),
                    nft, new SimpleMeterRegistry());
            fx.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                    .withName("web").withNamespace("default").endMetadata().withNewSpec().withClusterIP("10.96.0.50")
                    .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNewTargetPort(8080).endPort()
                    .endSpec().build()).create();
            fx.client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("web-abc").withNamespace("default")
                    .addToLabels("kubernetes.io/service-name", "web").endMetadata().withAddressType("IPv4")
                    .addNewEndpoint().withAddresses("10.244.1.5").withNewConditions().withReady(true).endConditions()
                    .endEndpoint().addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort()
                    .build()).create();

            try (NodeAgent agent = fx.startAgent(fx.deps().withServices(wiring))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(nft.dump()).contains("10.96.0.50").contains("10.244.1.5"));
                assertThat(agent.nodeName()).isEqualTo("n1");
            }
        }
    }

    @Test
    void aRestartedProxyListsAgainAndFollowsLaterChanges() throws Exception {
        FakeNftables nft = new FakeNftables();
        try (AgentFixture fx = new AgentFixture(dir)) {
            NodeAgentDeps.NodeServices wiring = new NodeAgentDeps.NodeServices(new NodeInfo("n1",
                    List.of("192.168.50.11"), Cidr.parse("10.244.1.0/24"), Cidr.parse("10.244.0.0/16"), "eth0"),
                    nft, new SimpleMeterRegistry());
            createService(fx, "web", "10.96.0.50");
            try (NodeAgent agent = fx.startAgent(fx.deps().withServices(wiring))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nft.dump()).contains("10.96.0.50"));
                int before = nft.transactions();

                agent.restartServiceProxy();

                // the new proxy's first (full) sync is a transaction of its own, and it still holds the service
                await().atMost(Duration.ofSeconds(20)).until(() -> nft.transactions() > before);
                assertThat(nft.dump()).contains("10.96.0.50");
                createService(fx, "api", "10.96.0.51");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nft.dump()).contains("10.96.0.51"));
            }
        }
    }

    @Test
    void anAgentWithoutAProxyRefusesToRestartOne() throws Exception {
        try (AgentFixture fx = new AgentFixture(dir); NodeAgent agent = fx.startAgent()) {
            assertThatThrownBy(agent::restartServiceProxy).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runs no Service proxy");
        }
    }

    private static void createService(AgentFixture fx, String name, String clusterIp) {
        fx.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                .withName(name).withNamespace("default").endMetadata().withNewSpec().withClusterIP(clusterIp)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNewTargetPort(8080).endPort()
                .endSpec().build()).create();
    }
}
