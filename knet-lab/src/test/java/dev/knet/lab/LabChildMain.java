package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;

import java.nio.file.Files;
import java.util.Map;

/** Builds a lab and then blocks, so a test can SIGKILL it halfway through a lab's life. */
public final class LabChildMain {

    private LabChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String cluster = args[0];
        LabMode mode = LabMode.parse(args[1]);
        NamespaceLab lab = NamespaceLab.real(new LabOptions(cluster, 2, mode, false),
                Files.createTempDirectory("knet-lab-child"));
        ClusterConfig config = ClusterConfig.withNodes(cluster, 2);
        lab.buildNetwork(config);
        lab.controllers(config).forEach(c -> c.reconcile(Map.of("node-1", "10.244.1.0/24", "node-2", "10.244.2.0/24")));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
