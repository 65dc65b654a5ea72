package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.trace.PathTracer;
import dev.knet.cli.trace.TraceStep;
import dev.knet.lab.LabMode;
import dev.knet.model.Manifests;
import dev.knet.policy.cli.FlowTarget;
import dev.knet.policy.matrix.OfflineMatrix;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code knet trace FROM TO[:PORT[/PROTO]]}: the whole path of one connection, every step named: the
 * source pod, DNS (when TO is a name), the Service and its choice of endpoint, the route between
 * nodes, and each endpoint's NetworkPolicy verdict with its reason. Exit 0 when every destination
 * accepts the connection, 1 otherwise.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Trace a connection: DNS, Service, endpoint choice, node routing and policy verdicts. "
                + "FROM: ns/pod or an IP. TO: ns/pod, svc/ns/name, an IP or a DNS name (resolved as FROM's "
                + "resolver would), optionally :PORT (default 80) and /PROTO (default TCP).")
public final class TraceCommand implements Callable<Integer> {

    private final Supplier<List<HasMetadata>> clusterState;
    private final Supplier<LabMode> labMode;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FROM")
    String from;

    @Parameters(index = "1", paramLabel = "TO[:PORT[/PROTO]]")
    String to;

    @Option(names = {"-f", "--filename"}, paramLabel = "DIR",
            description = "manifests (file or directory; repeatable) instead of the running lab")
    List<String> manifests;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "pod-network mode for the route (bridge, routed, vxlan, cloud; default: the lab's)")
    String mode;

    @Option(names = "--cluster-dns", defaultValue = "10.96.0.10", paramLabel = "IP",
            description = "kube-dns address in pods' resolv.conf (default ${DEFAULT-VALUE})")
    String clusterDns;

    @Option(names = "--zone", defaultValue = "cluster.local", description = "cluster domain (default ${DEFAULT-VALUE})")
    String zone;

    /**
     * @param clusterState the running cluster's objects
     * @param labMode      the running lab's mode, or null when there is none
     */
    public TraceCommand(Supplier<List<HasMetadata>> clusterState, Supplier<LabMode> labMode) {
        this.clusterState = clusterState;
        this.labMode = labMode;
    }

    @Override
    public Integer call() {
        FlowTarget target = FlowTarget.parse(to);
        // offline manifests rarely carry addresses: Deployments stand for their pods, which get deterministic ones
        List<HasMetadata> objects = manifests == null || manifests.isEmpty() ? clusterState.get()
                : OfflineMatrix.offlineObjects(read(manifests));
        LabMode routeMode = mode != null ? LabMode.parse(mode)
                : manifests == null || manifests.isEmpty() ? labMode.get() : null;
        List<TraceStep> steps;
        try {
            steps = new PathTracer(objects, routeMode, clusterDns, zone)
                    .trace(from, target.destination(), target.port(), target.protocol());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("trace " + from + " -> " + to);
        int n = 1;
        for (TraceStep step : steps) {
            List<String> lines = step.lines();
            out.printf("%2d %-9s %s%n", n++, step.kind(), lines.getFirst());
            for (String line : lines.subList(1, lines.size())) {
                out.printf("   %-9s %s%n", "", line);
            }
        }
        out.flush();
        return steps.getLast().lines().getFirst().startsWith("ALLOWED") ? 0 : 1;
    }

    private static List<HasMetadata> read(List<String> paths) {
        List<HasMetadata> all = new ArrayList<>();
        for (String path : paths) {
            all.addAll(Manifests.read(path));
        }
        return all;
    }
}
