package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.lab.LabNames;
import dev.knet.model.ResourceKinds;
import dev.knet.node.PodExec;
import io.fabric8.kubernetes.api.model.Pod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * knet exec POD -- CMD, knet exec --node NODE -- CMD, knet exec --external -- CMD: runs a command in
 * a pod's, a node's or the external host's network namespace (root). agnhost's exec commands
 * (connect) run built in, as in an agnhost container.
 */
@Command(name = "exec", description = "Run a command in a pod's, a node's or the external host's namespace.")
public final class ExecCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = {"-n", "--namespace"}, description = "The pod's namespace (default: default).")
    String namespace;

    @Option(names = {"-c", "--container"}, description = "Container (all of a pod's containers share its network).")
    String container;

    @Option(names = "--node", paramLabel = "NODE", description = "Run in this node's namespace.")
    String node;

    @Option(names = "--external", description = "Run in the external host's namespace (outside the cluster).")
    boolean external;

    @Parameters(arity = "1..*", paramLabel = "[POD] -- CMD")
    List<String> words;

    @Override
    public Integer call() throws Exception {
        KnetHome home = main.home();
        LabNames names = new LabNames(home.clusterName());
        List<String> argv = new ArrayList<>(words);
        if (node != null || external) {
            return run(node != null ? names.node(node) : names.external(), argv);
        }
        if (argv.size() < 2) {
            throw new CliException("give a pod and a command: knet exec POD -- CMD");
        }
        String podName = argv.removeFirst();
        try (ClusterClient cluster = Clusters.connect(home)) {
            Pod pod = cluster.get(ResourceKinds.POD, namespace == null ? "default" : namespace, podName)
                    .orElseThrow(() -> new CliException("pods \"" + podName + "\" not found"));
            String netns = PodExec.netnsOf(pod).orElseThrow(() -> new CliException("pod " + podName
                    + " has no sandbox yet (is a lab running its node agent?)"));
            return PodExec.real().exec(pod, netns, argv, System.out, System.err);
        }
    }

    private static int run(String netns, List<String> argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(argv);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
