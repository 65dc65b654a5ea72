package dev.knet.lab;

import dev.knet.control.ControlPlane;
import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.ProcessCommandRunner;
import dev.knet.dataplane.route.Route;
import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's path: build, wait for the control plane's podCIDRs, program routes, start one agent per node. */
@Tag("lab")
class NamespaceLabStartLabTest {

    /** A stand-in agent that remembers whether it was stopped. */
    static final class RecordingAgent implements NodeAgent {
        final NodeAgentConfig config;
        volatile boolean closed;

        RecordingAgent(NodeAgentConfig config) {
            this.config = config;
        }

        @Override
        public String nodeName() {
            return config.nodeName();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void startFollowsTheNodeObjectsAndStartsAgents(@TempDir Path state) throws Exception {
        LabHostAssumptions.assumeLab();
        String cluster = LabHostAssumptions.uniqueCluster();
        ClusterConfig config = ClusterConfig.withNodes(cluster, 2);
        List<RecordingAgent> agents = new CopyOnWriteArrayList<>();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Dataplane dp = Dataplane.real(runner);
        NamespaceLab lab = new NamespaceLab(new LabOptions(cluster, 2, LabMode.ROUTED, false), dp, runner, state,
                c -> {
                    RecordingAgent a = new RecordingAgent(c);
                    agents.add(a);
                    return Optional.of(a);
                });
        DefaultApiStore.Builder builder = DefaultApiStore.builder();
        ControlPlane.admissionPlugins(config).forEach(builder::admission);
        try (ApiStore store = builder.build();
             ControlPlane controlPlane = ControlPlane.start(store, config, ControlPlane.Options.withNodeAgents())) {
            try {
                lab.start("http://127.0.0.1:1", store, config);

                var cidrs = NodePodCidrs.read(store);
                assertThat(cidrs).containsOnlyKeys("node-1", "node-2");
                assertThat(dp.routes().list(lab.names().node("node-1")))
                        .contains(Route.to(cidrs.get("node-2")).via("198.18.0.12").dev("eth0"));
                assertThat(lab.runsPods()).isTrue();
                assertThat(agents).extracting(a -> a.config.nodeNetns())
                        .containsExactly(lab.names().node("node-1"), lab.names().node("node-2"));
                assertThat(agents.getFirst().config.cniConfList()).contains("\"mode\":\"routed\"");
                assertThat(agents.getFirst().config.clusterDnsIp()).isEqualTo("10.96.0.10");
            } finally {
                lab.close();
            }
        }
        assertThat(agents).allMatch(a -> a.closed);
        assertThat(lab.runsPods()).isFalse();
        assertThat(dp.netns().list()).noneMatch(ns -> ns.startsWith(lab.names().prefix()));
    }
}
