package dev.knet.policy.cli;

import dev.knet.policy.PolicyException;
import dev.knet.policy.verify.ClusterState;
import dev.knet.policy.verify.Prober;
import dev.knet.policy.verify.Settling;
import dev.knet.policy.verify.SocketProber;
import dev.knet.policy.verify.Verifier;
import dev.knet.policy.verify.VerifyPlan;
import dev.knet.policy.verify.VerifyReport;
import dev.knet.policy.verify.VerifyRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code knet verify}: the policy model against real packets in the running cluster. For each pair it prints
 * the model's verdict and reason beside a real connect from the source pod's network namespace. Exit 0 when
 * every probe agrees with the model, 1 on any disagreement, 2 when there was nothing to verify. A pair that
 * disagrees is probed again for up to {@code --settle}: what was just applied reaches every node a moment later.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Probe pod pairs for real and compare with the policy model: every pod of NS with -n, else "
                + "the Book review pods (app=productpage|details|reviews|ratings); --all for every pod. "
                + "Exit 0 all agree, 1 any mismatch, 2 nothing to verify.")
public final class VerifyCommand implements Callable<Integer> {

    private static volatile Supplier<ClusterState> defaultClusterState;
    /** The pause between rounds of probing disagreements again. */
    private static final Duration SETTLE_PAUSE = Duration.ofMillis(250);

    private final Supplier<ClusterState> clusterState;
    private final Prober prober;
    private final Supplier<Settling> settling;

    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "every pod with an address, not only the Book review pods")
    boolean all;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "only pods (and Services) of NS")
    String namespace;

    @Option(names = "--services", description = "probe each Service's ClusterIP and ports instead of pod ports")
    boolean services;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "probe this TCP port instead of the declared ones")
    Integer port;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1000",
            description = "how long a probe waits for an answer (default ${DEFAULT-VALUE} ms)")
    long timeoutMillis;

    @Option(names = "--settle", paramLabel = "MS", defaultValue = "10000",
            description = "how long pairs that disagree are probed again while the nodes apply what was just "
                    + "stored; 0 reports the first answers (default ${DEFAULT-VALUE} ms)")
    long settleMillis;

    /** Reads the process-wide source set by {@link #useClusterState}, with real socket probes. */
    public VerifyCommand() {
        this(null, new SocketProber());
    }

    /**
     * @param clusterState the running cluster's objects (null: the process-wide source)
     * @param prober       real probes; tests give a fake
     */
    public VerifyCommand(Supplier<ClusterState> clusterState, Prober prober) {
        this(clusterState, prober, null);
    }

    /** @param settling paces the rounds that probe disagreements again (null: real time, per --settle); tests give a fake */
    public VerifyCommand(Supplier<ClusterState> clusterState, Prober prober, Supplier<Settling> settling) {
        this.clusterState = clusterState;
        this.prober = java.util.Objects.requireNonNull(prober, "prober");
        this.settling = settling;
    }

    /** A hook for the daemon: where commands constructed without a source read the live cluster. */
    public static void useClusterState(Supplier<ClusterState> source) {
        defaultClusterState = source;
    }

    @Override
    public Integer call() {
        if (timeoutMillis <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        if (settleMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--settle must not be negative");
        }
        Supplier<ClusterState> source = clusterState != null ? clusterState : defaultClusterState;
        if (source == null) {
            throw new ParameterException(spec.commandLine(), "knet verify needs a running cluster (knet up)");
        }
        ClusterState state;
        try {
            state = source.get();
        } catch (RuntimeException e) {
            throw new PolicyException("cannot read the cluster state: " + e.getMessage(), e);
        }
        // a namespace names the pods to verify; without one, the talk's app (a lab's system pods, such as the
        // cluster DNS, serve protocols a probe cannot judge)
        boolean everyPod = all || namespace != null;
        VerifyPlan plan = new VerifyPlan(everyPod ? VerifyPlan.Scope.ALL : VerifyPlan.Scope.BOOK_REVIEW,
                services ? VerifyPlan.Target.SERVICES : VerifyPlan.Target.PODS, namespace, port);
        Supplier<Settling> rounds = settling != null ? settling
                : () -> Settling.within(Duration.ofMillis(settleMillis), SETTLE_PAUSE);
        List<VerifyRow> rows = new Verifier(prober, Duration.ofMillis(timeoutMillis), rounds).verify(state, plan);
        PrintWriter out = spec.commandLine().getOut();
        if (rows.isEmpty()) {
            out.println(everyPod ? "no pods with an address to verify" + (namespace == null ? "" : " in namespace " + namespace)
                    : "no Book review pods (app=productpage|details|reviews|ratings) to verify; use --all for every pod");
            out.flush();
            return 2;
        }
        out.print(VerifyReport.table(rows));
        out.println();
        out.print(VerifyReport.matrix(rows));
        out.print(VerifyReport.summary(rows));
        out.flush();
        return rows.stream().anyMatch(r -> r.agreement() == VerifyRow.Agreement.DISAGREE) ? 1 : 0;
    }
}
