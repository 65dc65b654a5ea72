package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.lab.LabMode;
import dev.knet.lab.LabOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** knet up: starts the lab daemon in the background and waits until the cluster is ready. */
@Command(name = "up", description = "Build a lab cluster network in network namespaces and start its daemon.")
public final class UpCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default 3).")
    int nodes;

    @Option(names = "--mode", defaultValue = "vxlan", description = "bridge, routed, vxlan or cloud (default vxlan).")
    String mode;

    @Option(names = "--bgp", description = "With --mode routed: learn routes over BGP (BIRD) instead of programming them.")
    boolean bgp;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the lab (default 120).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        KnetHome home = main.home();
        LabOptions options = new LabOptions(home.clusterName(), nodes, LabMode.parse(mode), bgp);
        if (DaemonInfo.running(home.clusterDir()).isPresent()) {
            throw new CliException("the lab \"" + home.clusterName() + "\" is already up (knet down --name "
                    + home.clusterName() + " first)");
        }
        Files.createDirectories(home.clusterDir());
        Path log = home.clusterDir().resolve("daemon.log");
        List<String> command = new ArrayList<>(List.of("setsid", System.getProperty("knet.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", System.getProperty("knet.classpath",
                        System.getProperty("java.class.path")), "-Dknet.log.level=INFO",
                "dev.knet.cli.lab.DaemonMain"));
        command.addAll(options.toArgs());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("KNET_HOME", home.root().toString());
        Process daemon = pb.start();
        System.err.println("Starting lab \"" + home.clusterName() + "\" (" + nodes + " nodes, " + mode + ")...");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
        while (Instant.now().isBefore(deadline)) {
            if (DaemonInfo.running(home.clusterDir()).isPresent()) {
                System.out.println("Lab \"" + home.clusterName() + "\" is up. Try: knet --name " + home.clusterName()
                        + " status");
                return 0;
            }
            if (!daemon.isAlive()) {
                throw new CliException("the lab daemon exited (" + daemon.exitValue() + "); its log:\n" + tail(log));
            }
            Thread.sleep(100);
        }
        daemon.destroy();
        throw new CliException("the lab did not come up within " + timeoutSeconds + " s; its log:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
