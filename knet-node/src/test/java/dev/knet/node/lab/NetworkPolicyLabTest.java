package dev.knet.node.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.node.NodePolicy;
import dev.knet.policy.enforce.PodMatch;
import dev.knet.policy.enforce.PolicyEnforcer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent enforces NetworkPolicy on its node: two netexec pods (knet's plugin, routed with pods matched by
 * veth, and bridged with pods matched by address), a deny-all ingress policy makes new connections from one
 * to the other fail, deleting it lets them through again.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NetworkPolicyLabTest {

    private static final PolicyEnforcer.Config FAST = new PolicyEnforcer.Config(Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofSeconds(2));
    @TempDir
    Path tmp;

    private static Pod netexec(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", name)
                .endMetadata().withNewSpec().withNodeName("n1").addNewContainer().withName("agnhost")
                .withImage("registry.k8s.io/e2e-test-images/agnhost:2.53").withArgs("netexec", "--http-port=8080")
                .endContainer().endSpec().build();
    }

    /** knet's plugin in bridge mode: same-node pods are bridged, so policy matches them by address. */
    private static String bridgeConflist(String node, Path ipam) {
        return """
                {"cniVersion":"1.1.0","name":"knet","plugins":[{"type":"knet","mode":"bridge","nodeNetns":"%s",
                 "bridge":"knbr0","mtu":1500,"capabilities":{"ips":true},
                 "ipam":{"type":"host-local","subnet":"10.244.7.0/24","gateway":"10.244.7.1","dataDir":"%s"}}]}"""
                .formatted(node, ipam);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PodMatch.class)
    void denyAllIngressBlocksNewConnectionsUntilDeleted(PodMatch match) throws Exception {
        try (LabNode lab = LabNode.open(tmp)) {
            String conflist = match == PodMatch.INTERFACE ? lab.knetRoutedConflist()
                    : bridgeConflist(lab.node, tmp.resolve("ipam"));
            var config = lab.config(conflist, tmp.resolve("bin"));
            NodePolicy policy = NodePolicy.nftCommand(config).withConfig(FAST);
            assertThat(policy.podMatch()).isEqualTo(match);
            lab.start(config, deps -> deps.withPolicy(policy));
            lab.createPod(netexec("client"), "10.244.7.11");
            lab.createPod(netexec("server"), "10.244.7.12");
            lab.awaitRunning("client");
            lab.awaitRunning("server");
            String client = lab.netnsOf("client");

            await().atMost(LabNode.WAIT).until(() -> LabNode.connects(client, "10.244.7.12", 8080));
            await().atMost(LabNode.WAIT).until(() -> LabNode.run("ip", "netns", "exec", lab.node, "nft", "list",
                    "tables").contains("knet-policy"));

            lab.client.network().v1().networkPolicies().inNamespace("default").resource(new NetworkPolicyBuilder()
                    .withNewMetadata().withName("deny-all").withNamespace("default").endMetadata().withNewSpec()
                    .withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build()).create();

            await().atMost(LabNode.WAIT).until(() -> !LabNode.connects(client, "10.244.7.12", 8080));
            assertThat(LabNode.run("ip", "netns", "exec", lab.node, "nft", "list", "table", "inet", "knet-policy"))
                    .contains("knet-drop:");

            lab.client.network().v1().networkPolicies().inNamespace("default").withName("deny-all").delete();

            await().atMost(LabNode.WAIT).until(() -> LabNode.connects(client, "10.244.7.12", 8080));
            assertThat(LabNode.httpGetFrom(client, "10.244.7.12", 8080, "/hostname")).endsWith("server");
        }
    }
}
