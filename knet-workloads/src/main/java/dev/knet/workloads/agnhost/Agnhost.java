package dev.knet.workloads.agnhost;

import dev.knet.workloads.ServerWorkload;
import dev.knet.workloads.Workload;
import dev.knet.workloads.pod.PodContext;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** The agnhost subcommands knet runs in-process, picked by the first argument as agnhost's own main does. */
public final class Agnhost {

    public static final Set<String> SUBCOMMANDS = Set.of("netexec", "serve-hostname", "pause", "connect");

    private Agnhost() {
    }

    /** The workload for {@code argv} = [subcommand, flags...] (without the leading "/agnhost"). */
    public static Workload workload(List<String> argv) throws AgnhostUsageException {
        if (argv.isEmpty()) {
            throw new AgnhostUsageException("agnhost needs a subcommand (one of " + sorted() + ")");
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.getFirst()) {
            case "netexec" -> new Netexec(NetexecOptions.parse(rest));
            case "serve-hostname" -> new ServeHostname(ServeHostnameOptions.parse(rest));
            case "pause" -> new Pause();
            case "connect" -> new ConnectOnce(List.copyOf(rest));
            default -> throw new AgnhostUsageException("agnhost subcommand \"" + argv.getFirst()
                    + "\" is not built into knet (built in: " + sorted() + ")");
        };
    }

    private static List<String> sorted() {
        return SUBCOMMANDS.stream().sorted().toList();
    }

    /** connect as a container's main program: one attempt, then the container exits with its code. */
    private static final class ConnectOnce extends ServerWorkload {
        private final List<String> args;

        ConnectOnce(List<String> args) {
            this.args = args;
        }

        @Override
        public String description() {
            return "agnhost connect " + String.join(" ", args);
        }

        @Override
        protected void open(PodContext ctx) {
            Thread.ofVirtual().name("agnhost-connect-" + ctx.name()).start(() ->
                    exit(Connect.run(args, ctx, new PrintStream(PrintStream.nullOutputStream()), System.err)));
        }
    }
}
