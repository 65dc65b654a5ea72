package dev.knet.cli;

import dev.knet.cli.command.ApplyCommand;
import dev.knet.cli.command.CompletionCommand;
import dev.knet.cli.command.DeleteCommand;
import dev.knet.cli.command.DemoCommand;
import dev.knet.cli.command.DescribeCommand;
import dev.knet.cli.command.GetCommand;
import dev.knet.cli.command.ExecCommand;
import dev.knet.cli.command.LogsCommand;
import dev.knet.cli.command.UpCommand;
import dev.knet.cli.command.DownCommand;
import dev.knet.cli.command.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/** The knet command: kubectl-shaped verbs over knet's API, plus the lab and the offline tools. */
@Command(name = "knet", mixinStandardHelpOptions = true, version = "knet 0.1.0",
        description = "Kubernetes networking, end to end: pods, Services, DNS, Ingress, NetworkPolicy.",
        subcommands = {ApplyCommand.class, GetCommand.class, DescribeCommand.class, DeleteCommand.class,
                UpCommand.class, DownCommand.class, StatusCommand.class, ExecCommand.class, LogsCommand.class,
                CompletionCommand.class, DemoCommand.class})
public final class Main implements Runnable {

    @Option(names = "--name", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Cluster to act on (default: $KNET_CLUSTER or knet).")
    String clusterName;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The cluster's state directory (default: $KNET_HOME/clusters/NAME/store).")
    Path stateDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public KnetHome home() {
        String name = clusterName != null ? clusterName
                : System.getenv().getOrDefault("KNET_CLUSTER", "knet");
        return KnetHome.resolve(name, stateDir);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        Extensions.mount(cl);
        cl.setExecutionExceptionHandler(new ErrorReporter());
        return cl;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.out.flush();
        System.exit(code);
    }
}
