package dev.knet.lab;

import java.nio.file.Files;
import java.time.Duration;

/**
 * A lab daemon in miniature, run as a child process so a test can SIGKILL it halfway through a lab's
 * life: store, control plane, API, node agents (with their Service proxy rules in the node
 * namespaces) and one running pod per node. Prints READY once the pods run, then blocks.
 */
public final class LabChildMain {

    static final String READY = "KNET-LAB-CHILD-READY";

    private LabChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String cluster = args[0];
        LabMode mode = LabMode.parse(args[1]);
        PodLab lab = PodLab.start(new LabOptions(cluster, 2, mode, false), Files.createTempDirectory("knet-lab-child"));
        try {
            lab.create(PodLab.agnhost("a", "node-1"), PodLab.agnhost("b", "node-2"));
            lab.awaitRunning(Duration.ofSeconds(120), "a", "b");
        } catch (RuntimeException | Error e) {
            // the API server's threads would keep a failed child alive; the test waits for READY or the end
            e.printStackTrace();
            lab.close();
            System.exit(1);
        }
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}
