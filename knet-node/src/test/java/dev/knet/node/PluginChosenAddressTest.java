package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a conflist whose plugins do not take the {@code ips} capability (the reference bridge + host-local),
 * the plugins choose the pod's address: the agent runs pods that have none yet and reports the plugin's.
 */
class PluginChosenAddressTest {

    private static final String OWN_IPAM = """
            {"cniVersion":"1.0.0","name":"knet","plugins":[{"type":"knet","mode":"routed","nodeNetns":"knet-t-n1"}]}""";
    @TempDir
    Path dir;

    @Test
    void podsWithoutAnAddressGetThePluginsAndItIsReported() throws Exception {
        try (AgentFixture fx = new AgentFixture(dir);
             NodeAgent agent = NodeAgents.start(fx.config(OWN_IPAM), fx.deps())) {
            Pod a = fx.createPod("a", null, new ContainerBuilder().withName("p").withImage("registry.k8s.io/pause:3.10")
                    .build());

            await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(fx.pod("a").getStatus() == null
                    ? null : fx.pod("a").getStatus().getPhase()));

            assertThat(fx.pod("a").getStatus().getPodIP()).startsWith(FakeCni.OWN_POOL);
            assertThat(fx.pod("a").getStatus().getPodIPs()).extracting(ip -> ip.getIp())
                    .containsExactly(fx.pod("a").getStatus().getPodIP());
            assertThat(fx.cni.calls("ADD")).extracting(FakeCni.Call::containerId)
                    .containsExactly(a.getMetadata().getUid());
        }
    }

    @Test
    void aRestartedAgentAdoptsTheSandboxWithTheAddressThePluginsChose() throws Exception {
        try (AgentFixture fx = new AgentFixture(dir)) {
            String first;
            try (NodeAgent agent = NodeAgents.start(fx.config(OWN_IPAM), fx.deps())) {
                fx.createPod("a", null, new ContainerBuilder().withName("p")
                        .withImage("registry.k8s.io/pause:3.10").build());
                await().atMost(Duration.ofSeconds(20)).until(() -> fx.pod("a").getStatus() != null
                        && "Running".equals(fx.pod("a").getStatus().getPhase()));
                first = fx.pod("a").getStatus().getPodIP();
            }

            try (NodeAgent again = NodeAgents.start(fx.config(OWN_IPAM), fx.deps())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> fx.cni.calls("CHECK").size() == 1);
            }

            assertThat(fx.cni.calls("ADD")).as("adopted, not re-created").hasSize(1);
            assertThat(fx.cni.calls("DEL")).isEmpty();
            assertThat(fx.pod("a").getStatus().getPodIP()).isEqualTo(first);
        }
    }

    @Test
    void withTheIpsCapabilityAPodWaitsForTheControlPlanesAddress() throws Exception {
        try (AgentFixture fx = new AgentFixture(dir); NodeAgent agent = fx.startAgent()) {
            fx.createPod("waiting", null, new ContainerBuilder().withName("p").withImage("registry.k8s.io/pause:3.10")
                    .build());
            fx.createPod("marker", "10.244.1.7", new ContainerBuilder().withName("p")
                    .withImage("registry.k8s.io/pause:3.10").build());

            await().atMost(Duration.ofSeconds(20)).until(() -> fx.pod("marker").getStatus() != null
                    && "Running".equals(fx.pod("marker").getStatus().getPhase()));
            assertThat(fx.cni.calls("ADD")).extracting(FakeCni.Call::containerId)
                    .containsExactly(fx.pod("marker").getMetadata().getUid());
            assertThat(fx.pod("waiting").getStatus() == null ? null : fx.pod("waiting").getStatus().getPodIP())
                    .isNull();
        }
    }
}
