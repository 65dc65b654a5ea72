package dev.knet.node;

import dev.knet.api.ApiServer;
import dev.knet.api.ControlPlaneHooks;
import dev.knet.dataplane.FakeDataplane;
import dev.knet.store.DefaultApiStore;
import dev.knet.workloads.pod.NetnsExecutor;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An in-process API server, a fake dataplane and CNI, and agents for node "n1" started over them. */
final class AgentFixture implements AutoCloseable {

    static final String NODE_NETNS = "knet-t-n1";
    static final String CONFLIST = """
            {"cniVersion":"1.0.0","name":"knet","plugins":[{"type":"knet","mode":"routed",
             "nodeNetns":"knet-t-n1","capabilities":{"ips":true}}]}""";

    final ConflictCountingStore store = new ConflictCountingStore(DefaultApiStore.builder().build());
    final ApiServer server;
    final KubernetesClient client;
    final FakeDataplane dataplane = new FakeDataplane();
    final FakeCni cni = new FakeCni();
    final Path dir;
    volatile Prober prober = (target, probe) -> true;

    AgentFixture(Path dir) throws Exception {
        this.dir = dir;
        this.server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(server.url())
                // a generous timeout: a loaded CI machine can take seconds for a JVM's first requests
                .withRequestRetryBackoffLimit(0).withRequestTimeout(60_000).build()).build();
    }

    NodeAgentConfig config() {
        return config(CONFLIST);
    }

    NodeAgentConfig config(String conflist) {
        return new NodeAgentConfig("t", "n1", NODE_NETNS, server.url(), "10.96.0.10", "cluster.local",
                dir.resolve("state"), conflist, null);
    }

    NodeAgentDeps deps() {
        return new NodeAgentDeps(dataplane.dataplane(), cni.exec(), NetnsExecutor.sameNamespace(),
                dir.resolve("etc-netns"), (netns, argv) -> argv, (target, probe) -> prober.probe(target, probe),
                Duration.ofMillis(100)).withMounts(new PathSubstitutingMounts());
    }

    NodeAgent startAgent() {
        return startAgent(deps());
    }

    NodeAgent startAgent(NodeAgentDeps deps) {
        return NodeAgents.start(config(), deps);
    }

    /** Creates a pod bound to n1 and gives it an IP, as the scheduler and IPAM would. */
    Pod createPod(String name, String ip, Container... containers) {
        return createPod(new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("n1").withContainers(List.of(containers)).endSpec().build(), ip);
    }

    Pod createPod(Pod pod, String ip) {
        Pod created = client.pods().inNamespace("default").resource(pod).create();
        if (ip == null) {
            return created; // the CNI plugins' own IPAM chooses
        }
        created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending")
                .withPodIP(ip).build());
        return client.pods().inNamespace("default").resource(created).updateStatus();
    }

    Pod pod(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    String netnsOf(Pod pod) {
        return SandboxNames.podNetns("t", "default", pod.getMetadata().getName(), pod.getMetadata().getUid());
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
    }
}
