package dev.knet.cli;

import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.cli.command.TraceCommand;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.lab.LabMode;
import dev.knet.lab.LabNames;
import dev.knet.policy.observe.ObserveCommand;
import io.fabric8.kubernetes.api.model.Node;
import dev.knet.dns.cli.DnsCommand;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.policy.cli.PolicyCommand;
import dev.knet.policy.cli.VerifyCommand;
import dev.knet.policy.verify.ClusterState;
import dev.knet.policy.verify.SocketProber;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** Mounts the commands that ask the whole cluster state or other modules (dns, policy, verify, trace, observe). */
final class Extensions {

    private Extensions() {
    }

    static void mount(CommandLine root) {
        Main main = root.getCommand();
        root.addSubcommand("dns", new DnsCommand());
        root.addSubcommand("policy", new PolicyCommand(() -> clusterState(main)));
        root.addSubcommand("verify", new VerifyCommand(() -> ClusterState.of(clusterState(main)), new SocketProber()));
        root.addSubcommand("trace", new TraceCommand(() -> clusterState(main), () -> labMode(main)));
        root.addSubcommand("observe", new ObserveCommand(() -> clusterState(main), () -> nodeNamespaces(main)));
    }

    /** The namespace of every node of the lab, where the node agents' drop rules log. */
    private static List<String> nodeNamespaces(Main main) {
        LabNames names = new LabNames(main.home().clusterName());
        return clusterState(main).stream().filter(o -> o instanceof Node)
                .map(o -> names.node(o.getMetadata().getName())).toList();
    }

    /** The running lab's pod-network mode, or null without one (the route is then told without it). */
    private static LabMode labMode(Main main) {
        return DaemonInfo.running(main.home().clusterDir()).map(DaemonInfo::mode).filter(m -> m != null && !m.isBlank())
                .map(LabMode::parse).orElse(null);
    }

    /**
     * The whole cluster's objects, for the policy model: from the running lab, or from the local
     * state when it exists. Fails, asking for -f, when there is neither.
     */
    private static List<HasMetadata> clusterState(Main main) {
        KnetHome home = main.home();
        if (DaemonInfo.running(home.clusterDir()).isEmpty() && !java.nio.file.Files.exists(home.storeDir())) {
            throw new CliException("there is no cluster \"" + home.clusterName() + "\" (no lab running, no state):"
                    + " give manifests with -f DIR");
        }
        List<HasMetadata> all = new ArrayList<>();
        try (ClusterClient cluster = Clusters.connect(home)) {
            for (ResourceKind<?> kind : ResourceKinds.ALL) {
                all.addAll(cluster.list(kind, null, null));
            }
        }
        return all;
    }
}
