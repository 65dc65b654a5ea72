package dev.knet.workloads;

import dev.knet.workloads.agnhost.Connect;
import dev.knet.workloads.pod.PodContext;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Commands that {@code knet exec POD -- ...} runs in-process inside the pod instead of starting a
 * program: today {@code /agnhost connect HOST:PORT ...} (also {@code agnhost connect ...}), the
 * probe the Kubernetes network policy e2e tests exec in their client pods.
 */
public final class ExecCommands {

    private ExecCommands() {
    }

    /** The exit code when {@code argv} is a built-in command (it has then run), else empty. */
    public static Optional<Integer> tryRunBuiltin(List<String> argv, PodContext ctx, PrintStream stdout,
                                                  PrintStream stderr) {
        if (argv.size() >= 2 && WorkloadFactory.isProgram(argv.getFirst(), "agnhost")
                && argv.get(1).equals("connect")) {
            return Optional.of(Connect.run(argv.subList(2, argv.size()), ctx, stdout, stderr));
        }
        return Optional.empty();
    }
}
