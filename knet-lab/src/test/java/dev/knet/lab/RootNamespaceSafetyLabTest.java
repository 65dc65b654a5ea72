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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.Deque;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lab, built and removed (also after its daemon was SIGKILLed with node agents and pods running),
 * leaves the host's own network (links, addresses, routes, nft ruleset) as it was, and no namespace
 * or per-namespace file behind.
 */
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
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"),
                LabChildMain.class.getName(), cluster, "vxlan").redirectErrorStream(true).start();
        try {
            Deque<String> tail = new ConcurrentLinkedDeque<>();
            CompletableFuture<Boolean> readiness = CompletableFuture.supplyAsync(() -> awaitMarker(child, tail));
            boolean ready;
            try {
                ready = readiness.get(3, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                ready = false;
            }
            final boolean started = ready;
            assertThat(started).as(() -> "the child started its lab and pods; its last output:\n"
                    + String.join("\n", tail)).isTrue();
            // underlay, external host, two nodes, two pods
            assertThat(cleanup.namespaces(names)).hasSize(6);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cleanup.namespaces(names)).as("namespaces outlive their daemon").hasSize(6);
            assertThat(etcNetnsDirs(names)).as("the pods' resolv.conf folders").hasSize(2);
        } finally {
            child.destroyForcibly();
            assertThat(cleanup.remove(names)).isEmpty(); // what knet down does for a dead daemon
        }
        assertThat(cleanup.namespaces(names)).isEmpty();
        assertThat(etcNetnsDirs(names)).isEmpty();
        assertThat(RootNetworkSnapshot.take()).isEqualTo(before);
    }

    /** Reads the child's output until its ready marker (true) or its end (false), keeping the last lines. */
    private static boolean awaitMarker(Process child, Deque<String> tail) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                // contains, not equals: log lines from other threads may share the line
                if (line.contains(LabChildMain.READY)) {
                    return true;
                }
                tail.add(line);
                if (tail.size() > 40) {
                    tail.poll();
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<Path> etcNetnsDirs(LabNames names) throws java.io.IOException {
        Path etc = Path.of("/etc/netns");
        if (!java.nio.file.Files.isDirectory(etc)) {
            return List.of();
        }
        try (var dirs = java.nio.file.Files.list(etc)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(names.prefix())).toList();
        }
    }
}
