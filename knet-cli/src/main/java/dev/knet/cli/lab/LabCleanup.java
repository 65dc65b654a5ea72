package dev.knet.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Removes what a lab left behind: its network namespaces (every one named knet-NAME-...) and,
 * with them, every link and rule inside. Only namespaces with knet's prefix are ever touched.
 */
public final class LabCleanup {

    private LabCleanup() {
    }

    /** Namespaces of one cluster, or of every knet lab when clusterName is null. */
    public static List<String> namespaces(String clusterName) {
        Path run = Path.of("/run/netns");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(run)) {
            return out;
        }
        String prefix = clusterName == null ? "knet-" : "knet-" + clusterName + "-";
        try (var names = Files.list(run)) {
            names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Deletes the namespaces; returns those that could not be deleted. */
    public static List<String> deleteNamespaces(List<String> names) {
        List<String> failed = new ArrayList<>();
        for (String ns : names) {
            if (!ns.startsWith("knet-")) {
                throw new IllegalArgumentException("refusing to delete namespace " + ns + ": not a knet namespace");
            }
            try {
                killProcessesIn(ns);
                Process p = new ProcessBuilder("ip", "netns", "delete", ns).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    failed.add(ns);
                }
            } catch (IOException e) {
                failed.add(ns);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(ns);
            }
        }
        return failed;
    }

    /** Processes left running in a namespace (containers of a killed daemon) would keep it alive. */
    private static void killProcessesIn(String ns) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "pids", ns).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        for (String pid : out.split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
