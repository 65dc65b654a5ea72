package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.RestClusterClient;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.cli.print.LabProxyMetrics;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** knet status: the running lab's nodes, mode, pod counts, health and each node's Service proxy sync (from its metrics). */
@Command(name = "status", description = "Show the lab: nodes, mode, pods per node, health, each node's last Service proxy sync.")
public final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        KnetHome home = main.home();
        DaemonInfo d = DaemonInfo.running(home.clusterDir()).orElseThrow(() -> notRunning(home));
        LabProxyMetrics proxies = new LabProxyMetrics(d.clusterName());
        try (RestClusterClient api = new RestClusterClient(d.apiUrl())) {
            List<Node> nodes = api.list(ResourceKinds.NODE, null, null);
            List<Pod> pods = api.list(ResourceKinds.POD, null, null);
            System.out.println("Lab:     " + d.clusterName() + " (mode " + d.mode() + ", daemon pid " + d.pid()
                    + ", API " + d.apiUrl() + ", up since " + d.startedAt() + ")");
            System.out.println("Health:  API answering; " + nodes.size() + " nodes, " + pods.size() + " pods");
            for (Node n : nodes) {
                String name = n.getMetadata().getName();
                long count = pods.stream().filter(p -> name.equals(p.getSpec().getNodeName())).count();
                long running = pods.stream().filter(p -> name.equals(p.getSpec().getNodeName())
                        && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
                boolean ready = n.getStatus() != null && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                String proxy = proxies.read(name).map(p -> p.describe(Instant.now())).orElse("?");
                System.out.printf("  %-12s %-9s podCIDR %-16s pods %d (%d running)  service proxy %s%n", name,
                        ready ? "Ready" : "NotReady", n.getSpec().getPodCIDR(), count, running, proxy);
            }
        }
        return 0;
    }

    private static CliException notRunning(KnetHome home) {
        String name = home.clusterName();
        return DaemonInfo.dead(home.clusterDir())
                .map(d -> new CliException("the daemon of lab \"" + name + "\" (pid " + d.pid() + ") is not running;"
                        + " its namespaces and pods may still be there: knet up --name " + name + " adopts them,"
                        + " knet down --name " + name + " removes them"))
                .orElseGet(() -> new CliException("no lab named \"" + name + "\" is running (start one with:"
                        + " knet up --name " + name + ")"));
    }
}
