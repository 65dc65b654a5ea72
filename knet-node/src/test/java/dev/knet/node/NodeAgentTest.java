package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.model.ResourceKinds;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against an in-process API server, a fake dataplane and a fake CNI plugin. */
class NodeAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private AgentFixture fx;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        fx = new AgentFixture(dir);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        fx.close();
    }

    private static Container pause() {
        return new ContainerBuilder().withName("pause").withImage("registry.k8s.io/pause:3.10").build();
    }

    private static Map<String, String> conditions(Pod pod) {
        if (pod.getStatus().getConditions() == null) {
            return Map.of();
        }
        return pod.getStatus().getConditions().stream()
                .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private ContainerStatus status(String pod) {
        List<ContainerStatus> s = fx.pod(pod).getStatus().getContainerStatuses();
        return s == null || s.isEmpty() ? null : s.getFirst();
    }

    @Test
    void podWithAnIpGetsASandboxAndRunsWithAllConditionsTrue() throws Exception {
        createNode();
        agent = fx.startAgent();
        Pod pod = fx.createPod("web", "10.244.1.5", pause());
        String netns = fx.netnsOf(pod);

        await().atMost(WAIT).until(() -> "Running".equals(fx.pod("web").getStatus().getPhase())
                && "True".equals(conditions(fx.pod("web")).get("Ready")));

        Pod running = fx.pod("web");
        assertThat(conditions(running)).containsExactlyInAnyOrderEntriesOf(Map.of("PodScheduled", "True",
                "Initialized", "True", "ContainersReady", "True", "Ready", "True"));
        assertThat(running.getStatus().getPodIP()).isEqualTo("10.244.1.5");
        assertThat(running.getStatus().getHostIP()).isEqualTo("192.168.50.11");
        assertThat(status("web").getReady()).isTrue();
        assertThat(status("web").getState().getRunning()).isNotNull();
        assertThat(fx.dataplane.netns().exists(netns)).isTrue();
        assertThat(fx.cni.calls("ADD")).containsExactly(
                new FakeCni.Call("ADD", pod.getMetadata().getUid(), "/run/netns/" + netns));
        assertThat(Files.readString(dir.resolve("etc-netns").resolve(netns).resolve("resolv.conf")))
                .contains("nameserver 10.96.0.10")
                .contains("search default.svc.cluster.local svc.cluster.local cluster.local")
                .contains("ndots:5");
        assertThat(Files.readString(dir.resolve("etc-netns").resolve(netns).resolve("hosts")))
                .contains("10.244.1.5");
        await().atMost(WAIT).until(() -> PodExec.netnsOf(fx.pod("web")).isPresent());
        assertThat(PodExec.netnsOf(fx.pod("web"))).contains(netns);
    }

    @Test
    void heartbeatMarksTheNodeReady() {
        createNode();
        agent = fx.startAgent();

        await().atMost(WAIT).until(() -> {
            var status = fx.client.nodes().withName("n1").get().getStatus();
            return status.getConditions() != null && status.getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")
                            && c.getLastHeartbeatTime() != null);
        });
        assertThat(fx.client.nodes().withName("n1").get().getStatus().getAddresses())
                .extracting(a -> a.getAddress()).containsExactly("192.168.50.11");
    }

    @Test
    void podWithoutAnIpWaitsForTheControlPlane() {
        agent = fx.startAgent();
        fx.client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("noip").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("n1").withContainers(pause()).endSpec().build()).create();
        Pod other = fx.createPod("later", "10.244.1.9", pause());

        // the pod created after it is served, so the agent has looked at "noip" and left it alone
        await().atMost(WAIT).until(() -> "Running".equals(fx.pod("later").getStatus().getPhase()));
        assertThat(fx.cni.calls("ADD")).extracting(FakeCni.Call::containerId)
                .containsExactly(other.getMetadata().getUid());
    }

    @Test
    void hostNetworkPodRunsInTheNodeNamespaceWithTheNodesAddress() {
        createNode();
        agent = fx.startAgent();
        fx.client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("hostnet").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("n1").withHostNetwork(true).withContainers(pause()).endSpec().build())
                .create();

        await().atMost(WAIT).until(() -> fx.pod("hostnet").getStatus() != null
                && "Running".equals(fx.pod("hostnet").getStatus().getPhase()));
        assertThat(fx.pod("hostnet").getStatus().getPodIP()).isEqualTo("192.168.50.11");
        assertThat(fx.cni.calls()).isEmpty();
        assertThat(fx.dataplane.netns().list()).isEmpty();
        assertThat(PodExec.netnsOf(fx.pod("hostnet"))).contains(AgentFixture.NODE_NETNS);
    }

    private void createNode() {
        var node = fx.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .build()).create();
        fx.client.nodes().resource(new NodeBuilder(node).editOrNewStatus().addNewAddress().withType("InternalIP")
                .withAddress("192.168.50.11").endAddress().endStatus().build()).updateStatus();
    }

    @Test
    void invalidImageLeavesThePodPendingWithTheReason() {
        agent = fx.startAgent();
        fx.createPod("bad", "10.244.1.6",
                new ContainerBuilder().withName("app").withImage("example.com/unknown:1.0").build());

        await().atMost(WAIT).until(() -> status("bad") != null && status("bad").getState().getWaiting() != null
                && "InvalidImageName".equals(status("bad").getState().getWaiting().getReason()));
        Pod bad = fx.pod("bad");
        assertThat(bad.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(status("bad").getState().getWaiting().getMessage()).contains("not a built-in workload");
        assertThat(conditions(bad)).containsEntry("Ready", "False");
    }

    @Test
    void deletionRemovesTheSandboxAndAsksForTheFinalRemoval() {
        agent = fx.startAgent();
        Pod pod = fx.createPod("gone", "10.244.1.7", pause());
        String netns = fx.netnsOf(pod);
        await().atMost(WAIT).until(() -> "Running".equals(fx.pod("gone").getStatus().getPhase()));

        fx.client.pods().inNamespace("default").withName("gone").delete();

        await().atMost(WAIT).until(() -> !fx.dataplane.netns().exists(netns));
        assertThat(fx.cni.calls("DEL")).extracting(FakeCni.Call::containerId)
                .contains(pod.getMetadata().getUid());
        assertThat(dir.resolve("etc-netns").resolve(netns)).doesNotExist();
    }

    @Test
    void restartedAgentAdoptsLiveSandboxesAndRemovesOrphans() {
        agent = fx.startAgent();
        Pod kept = fx.createPod("kept", "10.244.1.10", pause());
        Pod orphan = fx.createPod("orphan", "10.244.1.11", pause());
        await().atMost(WAIT).until(() -> "Running".equals(fx.pod("kept").getStatus().getPhase())
                && "Running".equals(fx.pod("orphan").getStatus().getPhase()));
        agent.close();
        agent = null;
        // the pod goes while no agent runs (a forced delete); its sandbox is left behind
        fx.store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", "orphan", Mutation.Grace.IMMEDIATE)));
        assertThat(fx.dataplane.netns().exists(fx.netnsOf(orphan))).isTrue();

        agent = fx.startAgent();

        assertThat(fx.dataplane.netns().exists(fx.netnsOf(orphan))).isFalse();
        assertThat(fx.cni.calls("DEL")).extracting(FakeCni.Call::containerId)
                .containsExactly(orphan.getMetadata().getUid());
        await().atMost(WAIT).until(() -> fx.cni.calls("CHECK").stream()
                .anyMatch(c -> c.containerId().equals(kept.getMetadata().getUid())));
        assertThat(fx.dataplane.netns().exists(fx.netnsOf(kept))).isTrue();
        assertThat(fx.cni.calls("ADD")).hasSize(2); // one per pod, none on adoption
    }

    @Test
    void readinessProbeDrivesReady() {
        fx.prober = (target, probe) -> false;
        agent = fx.startAgent();
        fx.createPod("probed", "10.244.1.12", new ContainerBuilder(pause())
                .withReadinessProbe(new ProbeBuilder().withNewTcpSocket().withNewPort(80).endTcpSocket()
                        .withPeriodSeconds(1).build()).build());
        await().atMost(WAIT).until(() -> "Running".equals(fx.pod("probed").getStatus().getPhase()));
        assertThat(conditions(fx.pod("probed"))).containsEntry("Ready", "False");

        fx.prober = (target, probe) -> target.pod().equals("probed") && target.podIp().equals("10.244.1.12");

        await().atMost(WAIT).until(() -> "True".equals(conditions(fx.pod("probed")).get("Ready")));
        assertThat(status("probed").getReady()).isTrue();
    }

    @Test
    void failingLivenessProbeRestartsTheContainer() {
        fx.prober = (target, probe) -> false;
        agent = fx.startAgent();
        fx.createPod("sick", "10.244.1.13", new ContainerBuilder(pause())
                .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withNewPort(80).endTcpSocket()
                        .withPeriodSeconds(1).withFailureThreshold(1).build()).build());

        await().atMost(WAIT).until(() -> status("sick") != null && status("sick").getRestartCount() >= 1);
        assertThat(fx.pod("sick").getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void exitingProcessIsRestartedAndLogsToItsFile() {
        agent = fx.startAgent();
        fx.createPod("crash", "10.244.1.14", new ContainerBuilder().withName("app").withImage("busybox:1.36")
                .withCommand("sh", "-c", "echo hello from $POD_NAME; exit 3")
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv().build());

        await().atMost(WAIT).until(() -> status("crash") != null && status("crash").getRestartCount() >= 1);
        Path log = PodExec.logFile(dir.resolve("state"), "default", "crash", "app");
        await().atMost(WAIT).untilAsserted(() -> assertThat(Files.readString(log)).contains("hello from crash"));
    }
}
