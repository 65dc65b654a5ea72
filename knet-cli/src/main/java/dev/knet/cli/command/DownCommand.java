package dev.knet.cli.command;

import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.dataplane.ProcessCommandRunner;
import dev.knet.dataplane.netns.IpNetnsManager;
import dev.knet.lab.LabCleanup;
import dev.knet.lab.LabNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** knet down: stops a lab's daemon and removes everything the lab created, state included. */
@Command(name = "down", description = "Stop a lab and remove its namespaces and state (--all: every knet lab).")
public final class DownCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--all", description = "Every knet lab on this host, and any leftover knet namespace.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        KnetHome home = main.home();
        List<String> clusters = new ArrayList<>();
        if (all) {
            Path dir = home.root().resolve("clusters");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.map(p -> p.getFileName().toString()).forEach(clusters::add);
                }
            }
        } else {
            clusters.add(home.clusterName());
        }
        for (String name : clusters) {
            KnetHome h = KnetHome.resolve(name, null);
            DaemonInfo.running(h.clusterDir()).ifPresent(d -> stop(d.pid()));
            deleteTree(h.clusterDir());
        }
        IpNetnsManager netns = new IpNetnsManager(new ProcessCommandRunner());
        LabCleanup cleanup = new LabCleanup(netns, new ProcessCommandRunner());
        java.util.Set<String> labs = new java.util.TreeSet<>(clusters);
        if (all) {
            // Leftovers of labs whose state is gone: every knet-CLUSTER-... namespace names its cluster.
            netns.list().stream().filter(n -> n.startsWith("knet-")).map(n -> n.substring(5).split("-")[0])
                    .forEach(labs::add);
        }
        List<String> failed = new ArrayList<>();
        for (String lab : labs) {
            failed.addAll(cleanup.remove(new LabNames(lab)));
        }
        if (!failed.isEmpty()) {
            System.err.println("could not delete namespaces: " + String.join(" ", failed));
            return 1;
        }
        System.out.println(all ? "Removed every knet lab." : "Lab \"" + home.clusterName() + "\" removed.");
        return 0;
    }

    private static void stop(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
