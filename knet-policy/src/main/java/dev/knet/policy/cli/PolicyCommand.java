package dev.knet.policy.cli;

import dev.knet.model.Manifests;
import dev.knet.policy.PolicyException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code knet policy}: questions to the policy model. With {@code -f DIR} a subcommand reads
 * manifests (offline); without it, it asks the cluster-state source given here (the lab daemon).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Ask the NetworkPolicy / ClusterNetworkPolicy model what may connect, and why.",
        subcommands = {CheckCommand.class, MatrixCommand.class})
public final class PolicyCommand implements Runnable {

    private static volatile Supplier<List<HasMetadata>> defaultClusterState;

    private final Supplier<List<HasMetadata>> clusterState;

    @Spec
    CommandSpec spec;

    /** Uses the process-wide source set by {@link #useClusterState}, if any. */
    public PolicyCommand() {
        this(null);
    }

    /** @param clusterState the live objects when no {@code -f} is given (may be null: offline only) */
    public PolicyCommand(Supplier<List<HasMetadata>> clusterState) {
        this.clusterState = clusterState;
    }

    /** A hook for the daemon: where commands constructed without a source read the live cluster. */
    public static void useClusterState(Supplier<List<HasMetadata>> source) {
        defaultClusterState = source;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Objects from manifests when a path is given, else from the live source. */
    List<HasMetadata> objects(List<String> manifests) {
        if (manifests != null && !manifests.isEmpty()) {
            try {
                List<HasMetadata> all = new java.util.ArrayList<>();
                for (String m : manifests) {
                    all.addAll(Manifests.read(m));
                }
                return all;
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, String.join(",", manifests));
            }
        }
        Supplier<List<HasMetadata>> source = clusterState != null ? clusterState : defaultClusterState;
        if (source == null) {
            throw new ParameterException(spec.commandLine(), "no running lab to ask: give manifests with -f DIR");
        }
        try {
            return source.get();
        } catch (RuntimeException e) {
            throw new PolicyException("cannot read the cluster state: " + e.getMessage(), e);
        }
    }
}
