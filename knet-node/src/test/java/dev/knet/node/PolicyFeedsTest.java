package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.cni.plugin.HostEndName;
import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.policy.enforce.PodMatch;
import dev.knet.policy.enforce.PolicyEnforcer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/** With a NodePolicy wiring, policies, pods and namespaces in the API become the node's policy table. */
class PolicyFeedsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PolicyEnforcer.Config FAST = new PolicyEnforcer.Config(Duration.ofMillis(50),
            Duration.ofMillis(50), Duration.ofMillis(500));
    @TempDir
    Path dir;

    private static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", name)
                .endMetadata().withNewSpec().withNodeName(node).withContainers(new ContainerBuilder().withName("p")
                        .withImage("registry.k8s.io/pause:3.10").build()).endSpec().build();
    }

    private static void denyAllIngress(AgentFixture fx) {
        fx.client.network().v1().networkPolicies().inNamespace("default").resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("deny-all").withNamespace("default").endMetadata().withNewSpec()
                .withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build()).create();
    }

    @Test
    void aDenyAllPolicyIsolatesThisNodesPodsAndItsDeletionLiftsIt() throws Exception {
        FakeNftables nft = new FakeNftables();
        try (AgentFixture fx = new AgentFixture(dir)) {
            Pod local = fx.createPod(pod("local", "n1"), "10.244.1.5");
            fx.createPod(pod("remote", "n2"), "10.244.2.5");
            NodePolicy wiring = NodePolicy.of(nft, fx.config()).withConfig(FAST);
            String localVeth = HostEndName.of(local.getMetadata().getUid(), "eth0");
            assertThat(wiring.podMatch()).isEqualTo(PodMatch.INTERFACE);

            try (NodeAgent agent = fx.startAgent(fx.deps().withPolicy(wiring))) {
                await().atMost(WAIT).until(() -> nft.dump().contains("table inet knet-policy"));
                String open = nft.dump();
                assertThat(open).doesNotContain("add element inet knet-policy ingress-pods");

                denyAllIngress(fx);
                await().atMost(WAIT).untilAsserted(() -> assertThat(nft.dump())
                        .contains("add element inet knet-policy ingress-pods { \"" + localVeth + "\" : jump ingress-np }")
                        .contains("add element inet knet-policy ingress-np-classes { \"" + localVeth
                                + "\" : goto ingress-np-0 }")
                        .contains("add rule inet knet-policy ingress-np-0 counter log prefix \"knet-drop:1 \" group 100"
                                + " drop"));
                assertThat(nft.dump()).as("a pod of another node is not this node's subject")
                        .doesNotContain(HostEndName.of(fx.pod("remote").getMetadata().getUid(), "eth0"));

                fx.client.network().v1().networkPolicies().inNamespace("default").withName("deny-all").delete();
                await().atMost(WAIT).untilAsserted(() -> assertThat(nft.dump()).isEqualTo(open));
            }
            assertThat(nft.dump()).as("the table outlives the agent (fail closed)").contains("table inet knet-policy");
        }
    }

    static Stream<Arguments> conflists() {
        return Stream.of(
                argumentSet("knet routed", "{\"cniVersion\":\"1.0.0\",\"name\":\"k\",\"plugins\":[{\"type\":\"knet\","
                        + "\"mode\":\"routed\"}]}", PodMatch.INTERFACE),
                argumentSet("knet vxlan", "{\"cniVersion\":\"1.0.0\",\"name\":\"k\",\"plugins\":[{\"type\":\"knet\","
                        + "\"mode\":\"vxlan\"}]}", PodMatch.INTERFACE),
                argumentSet("knet bridge", "{\"cniVersion\":\"1.0.0\",\"name\":\"k\",\"plugins\":[{\"type\":\"knet\","
                        + "\"mode\":\"bridge\"}]}", PodMatch.ADDRESS),
                argumentSet("reference bridge", "{\"cniVersion\":\"1.0.0\",\"name\":\"k\",\"plugins\":[{\"type\":"
                        + "\"bridge\",\"bridge\":\"cni0\"}]}", PodMatch.ADDRESS));
    }

    @ParameterizedTest
    @MethodSource("conflists")
    void podsAreMatchedByInterfaceOnlyWhereKnetRoutesEachVeth(String conflist, PodMatch expected) {
        assertThat(NodePolicy.podMatchFor(conflist)).isEqualTo(expected);
    }
}
