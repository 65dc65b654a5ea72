package dev.knet.dataplane;

import dev.knet.dataplane.netns.NetnsNames;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs the real tools. {@code ip} and {@code bridge} get {@code -n NS} (cheaper than
 * {@code ip netns exec}, which also sets up a mount namespace); anything else, such as
 * {@code sysctl}, runs under {@code ip netns exec NS} so it sees that namespace's /proc/sys.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private static final Set<String> ALLOWED = Set.of("ip", "bridge", "sysctl");
    private static final Executor DRAIN = task -> Thread.ofVirtual().name("knet-drain").start(task);

    @Override
    public CommandResult tryRun(NetnsScope scope, List<String> argv, String stdin) {
        List<String> full = commandLine(scope, argv);
        try {
            ProcessBuilder pb = new ProcessBuilder(full);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = pb.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            // stderr is drained on a second thread so a chatty tool cannot block on a full pipe; a
            // virtual thread, because the common pool is tiny on small machines and blocking
            // reads there starve every other user of it (a deadlock under the CNI server)
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), DRAIN);
            String out = read(process.getInputStream());
            int exit = process.waitFor();
            return new CommandResult(full, exit, out, err.join());
        } catch (IOException e) {
            throw new DataplaneException(DataplaneException.Kind.IO, "cannot run " + String.join(" ", full),
                    full, -1, "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataplaneException(DataplaneException.Kind.IO, "interrupted running " + String.join(" ", full),
                    full, -1, "", e);
        }
    }

    /** The argv actually executed; visible for tests, which check the scoping rules without running. */
    public static List<String> commandLine(NetnsScope scope, List<String> argv) {
        if (argv.isEmpty() || !ALLOWED.contains(argv.getFirst())) {
            throw new IllegalArgumentException("only ip, bridge and sysctl may run, not " + argv);
        }
        List<String> full = new ArrayList<>();
        switch (scope) {
            case NetnsScope.Admin() -> {
                if (argv.size() < 2 || !argv.getFirst().equals("ip") || !argv.get(1).equals("netns")) {
                    throw new IllegalArgumentException("admin scope only runs 'ip netns ...', not " + argv);
                }
                if (argv.size() > 3) {
                    NetnsNames.requireKnet(argv.get(3)); // ip netns <verb> <name>
                }
                full.addAll(argv);
            }
            case NetnsScope.In(String netns) -> {
                String tool = argv.getFirst();
                if (tool.equals("ip") || tool.equals("bridge")) {
                    full.add(tool);
                    full.add("-n");
                    full.add(netns);
                    full.addAll(argv.subList(1, argv.size()));
                } else {
                    full.addAll(List.of("ip", "netns", "exec", netns));
                    full.addAll(argv);
                }
            }
        }
        return full;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
