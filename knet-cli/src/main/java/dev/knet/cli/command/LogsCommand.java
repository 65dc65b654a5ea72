package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.model.ResourceKinds;
import dev.knet.node.PodExec;
import io.fabric8.kubernetes.api.model.Pod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** knet logs POD [-c C] [-f]: a container's output, from the log file its node agent writes. */
@Command(name = "logs", description = "Print a container's logs (process containers of a lab pod).")
public final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "POD")
    String podName;

    @Option(names = {"-n", "--namespace"})
    String namespace;

    @Option(names = {"-c", "--container"}, description = "Container (default: the pod's first).")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing as the log grows (Ctrl-C to stop).")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        KnetHome home = main.home();
        String ns = namespace == null ? "default" : namespace;
        Pod pod;
        try (ClusterClient cluster = Clusters.connect(home)) {
            pod = cluster.get(ResourceKinds.POD, ns, podName)
                    .orElseThrow(() -> new CliException("pods \"" + podName + "\" not found"));
        }
        String c = container != null ? container : pod.getSpec().getContainers().getFirst().getName();
        String node = pod.getSpec().getNodeName();
        if (node == null) {
            throw new CliException("pod " + podName + " is not on a node yet");
        }
        Path file = PodExec.logFile(home.clusterDir().resolve("nodes").resolve(node), ns, podName, c);
        if (!Files.exists(file)) {
            throw new CliException("no logs for container " + c + " of pod " + podName
                    + " (built-in workloads log to the daemon's log; process containers log here)");
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] buf = new byte[8192];
            while (true) {
                int n = in.read(buf);
                if (n > 0) {
                    System.out.write(buf, 0, n);
                    System.out.flush();
                } else if (!follow) {
                    return 0;
                } else {
                    Thread.sleep(200); // polling a file someone else appends to; the user stops it
                }
            }
        }
    }
}
