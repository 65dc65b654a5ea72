package dev.knet.cli;

import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.cli.lab.DaemonInfo;
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

/** Mounts the command groups other modules provide (dns, policy, verify). */
final class Extensions {

    private Extensions() {
    }

    static void mount(CommandLine root) {
        Main main = root.getCommand();
        root.addSubcommand("dns", new DnsCommand());
        root.addSubcommand("policy", new PolicyCommand(() -> clusterState(main)));
        root.addSubcommand("verify", new VerifyCommand(() -> ClusterState.of(clusterState(main)), new SocketProber()));
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
