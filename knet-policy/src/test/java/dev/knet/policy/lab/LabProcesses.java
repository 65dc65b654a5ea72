package dev.knet.policy.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The few processes the lab harness runs: {@code ip} (batched) and {@code sysctl} inside a namespace. */
public final class LabProcesses {

    private LabProcesses() {
    }

    /** Root and the ip and nft binaries: what the lab tests need; null when present, else why not. */
    public static String labUnavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root to create network namespaces";
        }
        for (String tool : List.of("ip", "nft")) {
            if (!Files.isExecutable(Path.of("/usr/sbin", tool)) && !Files.isExecutable(Path.of("/sbin", tool))) {
                return "needs the " + tool + " binary";
            }
        }
        return null;
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    /** {@code ip [-n netns] -batch -}: many commands, one process; fails on the first failing command. */
    static void ipBatch(String netns, List<String> lines) throws IOException, InterruptedException {
        ipBatch(netns, lines, false);
    }

    /** Like {@link #ipBatch} with {@code -force}: carries on past failures (cleanup of what may be gone). */
    static void ipBatchIgnoringErrors(String netns, List<String> lines) throws IOException, InterruptedException {
        ipBatch(netns, lines, true);
    }

    private static void ipBatch(String netns, List<String> lines, boolean force) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        if (netns != null) {
            command.addAll(List.of("-n", netns));
        }
        if (force) {
            command.add("-force");
        }
        command.addAll(List.of("-batch", "-"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 && !force) {
            throw new IOException("ip batch in " + netns + " failed: " + out.strip() + "\n" + String.join("\n", lines));
        }
    }

    /** Names of the existing network namespaces that start with {@code prefix}. */
    static List<String> namespaces(String prefix) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(prefix)).toList();
    }
}
