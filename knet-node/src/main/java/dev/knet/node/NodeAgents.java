package dev.knet.node;

import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.cni.runtime.InProcessPluginExec;
import dev.knet.cni.runtime.ProcessPluginExec;
import dev.knet.dataplane.Dataplane;
import dev.knet.workloads.pod.NetnsExecutor;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Starts node agents; the single entry point the lab and the daemon use. */
public final class NodeAgents {

    /** Where {@code ip netns exec} finds a namespace's resolv.conf and hosts. */
    public static final Path ETC_NETNS = Path.of("/etc/netns");
    /** The folder under {@link #ETC_NETNS} holding hostNetwork pods' files, per node namespace and pod uid. */
    public static final String HOST_NETWORK_ETC = ".knet-hostnet";
    private static final Duration RESYNC = Duration.ofSeconds(2);

    private NodeAgents() {
    }

    /**
     * Starts an agent for {@code config} on the real dataplane (root needed): it lists its pods,
     * adopts or removes left-over sandboxes, and then keeps its pods running until closed.
     */
    public static NodeAgent start(NodeAgentConfig config) {
        return start(config, realDeps(config));
    }

    /** Starts an agent over the given seams (tests: fake dataplane, stub CNI, scripted prober). */
    public static NodeAgent start(NodeAgentConfig config, NodeAgentDeps deps) {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(config.apiUrl())
                        // knet's API server streams watches over plain HTTP; trying a WebSocket first
                        // costs a timeout per watch before the client falls back
                        .withOnlyHttpWatches(true).build()).build();
        try {
            return new RunningNodeAgent(config, deps, client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** knet's CNI plugin in-process (no JVM per call), other plugin types run inside the node namespace. */
    public static NodeAgentDeps realDeps(NodeAgentConfig config) {
        Dataplane dp = Dataplane.real();
        KnetCniPlugin plugin = new KnetCniPlugin(dp);
        NodeAgentDeps.NetnsCommand netnsCommand = NodeAgentDeps.NetnsCommand.ipNetnsExec();
        return new NodeAgentDeps(dp,
                new InProcessPluginExec(Map.of("knet", plugin::handle), ProcessPluginExec.inNetns(config.nodeNetns())),
                NetnsExecutor.kernel(), ETC_NETNS, netnsCommand, new NetnsProber(netnsCommand), RESYNC);
    }
}
