package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.ProcessCommandRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A lab, built and removed (also after its builder was SIGKILLed), leaves the host's own network as it was. */
@Tag("lab")
class RootNamespaceSafetyLabTest {

    @Test
    void buildAndCloseLeaveTheRootNamespaceUnchanged(@TempDir Path state) throws Exception {
        LabHostAssumptions.assumeLab();
        RootNetworkSnapshot before = RootNetworkSnapshot.take();
        String cluster = LabHostAssumptions.uniqueCluster();
        for (LabMode mode : List.of(LabMode.BRIDGE, LabMode.CLOUD)) {
            NamespaceLab lab = NamespaceLab.real(new LabOptions(cluster, 2, mode, false), state);
            try {
                ClusterConfig config = ClusterConfig.withNodes(cluster, 2);
                lab.buildNetwork(config);
                lab.controllers(config).forEach(c -> c.reconcile(Map.of("node-1", "10.244.1.0/24",
                        "node-2", "10.244.2.0/24")));
                assertThat(Dataplane.real().netns().list()).filteredOn(ns -> ns.startsWith(lab.names().prefix()))
                        .hasSize(4);
            } finally {
                lab.close();
            }
        }
        assertThat(RootNetworkSnapshot.take()).isEqualTo(before);
    }

    @Test
    void cleanupAfterSigkillLeavesTheRootNamespaceUnchanged() throws Exception {
        LabHostAssumptions.assumeLab();
        RootNetworkSnapshot before = RootNetworkSnapshot.take();
        String cluster = LabHostAssumptions.uniqueCluster();
        LabNames names = new LabNames(cluster);
        ProcessCommandRunner runner = new ProcessCommandRunner();
        LabCleanup cleanup = new LabCleanup(Dataplane.real(runner).netns(), runner);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LabChildMain.class.getName(), cluster, "vxlan").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            boolean ready = false;
            while (!ready && (line = out.readLine()) != null) {
                ready = line.equals("READY");
            }
            assertThat(ready).as("the child built its lab").isTrue();
            assertThat(cleanup.namespaces(names)).hasSize(4);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cleanup.namespaces(names)).as("namespaces outlive their builder").hasSize(4);
        } finally {
            child.destroyForcibly();
            assertThat(cleanup.remove(names)).isEmpty();
        }
        assertThat(cleanup.namespaces(names)).isEmpty();
        assertThat(RootNetworkSnapshot.take()).isEqualTo(before);
    }
}
