package dev.knet.cli.light;

import dev.knet.cli.KnetHome;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.cli.lab.DaemonLiveness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The light `knet get`: for the plain table forms (`get KIND [-n NS | -A]`, global --name) against a running lab
 * daemon, asks the daemon for the table already rendered ({@link TableProtocol}) and prints it. Uses java.base
 * only — no picocli, no Kubernetes model, no JSON mapper, no java.net.http — because loading those is most of
 * the full CLI's start-up.
 *
 * <p>It never answers differently from the full CLI: whenever it is not sure (a command line it does not parse,
 * no daemon, an older daemon, a daemon that does not know the kind, any I/O error) it prints nothing and exits
 * with {@link #FALLBACK}, and the launcher runs the full CLI with the same arguments.
 */
public final class LightGet {

    /** The exit status that tells the launcher to run the full CLI instead. */
    public static final int FALLBACK = 86;

    private LightGet() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.getProperty("user.home"), System.out, System.err);
        System.out.flush();
        System.err.flush();
        // Success returns from main: System.exit would initialise the JDK's logging (Runtime.exit is logged).
        if (code != 0) {
            System.exit(code);
        }
    }

    /** 0 once it printed the answer; {@link #FALLBACK}, having printed nothing, otherwise. */
    public static int run(String[] args, Map<String, String> env, String userHome, PrintStream out, PrintStream err) {
        LightArgs parsed = LightArgs.parse(args, env);
        if (parsed == null) {
            return FALLBACK;
        }
        Path file = KnetHome.root(env, userHome).resolve("clusters").resolve(parsed.clusterName())
                .resolve(DaemonInfo.FILE); // a compile-time constant: DaemonInfo itself is not loaded
        DaemonFile daemon;
        try {
            daemon = DaemonFile.parse(Files.readString(file));
        } catch (IOException | DaemonFile.MalformedException | RuntimeException e) {
            // No lab, or a file the full CLI has to judge (it ignores it and opens the cluster's local state).
            return FALLBACK;
        }
        if (daemon.tablesUrl() == null || !DaemonLiveness.provenAlive(daemon.pid())) {
            return FALLBACK;
        }
        LoopbackGet.Reply reply;
        try {
            reply = LoopbackGet.get(daemon.tablesUrl(),
                    TableProtocol.query(parsed.kind(), parsed.namespace(), parsed.allNamespaces()));
        } catch (IOException | RuntimeException e) {
            return FALLBACK;
        }
        if (reply.status() != 200 || reply.output() == null) {
            return FALLBACK;
        }
        switch (reply.output()) {
            case TableProtocol.STDOUT -> out.print(reply.body());
            case TableProtocol.STDERR -> err.print(reply.body());
            default -> {
                return FALLBACK;
            }
        }
        return 0;
    }
}
