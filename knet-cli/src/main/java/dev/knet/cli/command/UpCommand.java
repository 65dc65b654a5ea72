package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.cli.lab.LabRestart;
import dev.knet.lab.LabMode;
import dev.knet.lab.LabOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** knet up: starts the lab daemon in the background and waits until the cluster is ready. */
@Command(name = "up", description = {"Build a lab cluster network in network namespaces and start its daemon.",
        "If an earlier daemon of the lab died without 'knet down', its namespaces and pods are adopted"
                + " (same mode and node count; the recorded ones unless given) or rebuilt."})
public final class UpCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default 3).")
    int nodes;

    @Option(names = "--mode", defaultValue = "vxlan", description = "bridge, routed, vxlan or cloud (default vxlan).")
    String mode;

    @Option(names = "--bgp", description = "With --mode routed: learn routes over BGP (BIRD) instead of programming them.")
    boolean bgp;

    @Option(names = "--port", defaultValue = "8080", description = "Host loopback port forwarded to the ingress "
            + "LoadBalancer, like kind's port mappings (127.0.0.1 only; default 8080; 0: none).")
    int ingressPort;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the lab (default 120).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        KnetHome home = main.home();
        if (ingressPort < 0 || ingressPort > 65535) {
            throw new CliException("--port " + ingressPort + ": a port is 1-65535 (or 0 for no ingress port)");
        }
        if (ingressPort > 0 && !LoopbackPorts.isFree(ingressPort)) {
            System.err.println("warning: 127.0.0.1:" + ingressPort + " is in use (another lab?); the ingress is not "
                    + "forwarded to the host (choose another with --port)");
            ingressPort = 0;
        }
        LabOptions asked = new LabOptions(home.clusterName(), nodes, LabMode.parse(mode), bgp);
        if (DaemonInfo.running(home.clusterDir()).isPresent()) {
            throw new CliException("the lab \"" + home.clusterName() + "\" is already up (knet down --name "
                    + home.clusterName() + " first)");
        }
        boolean shapeGiven = spec.commandLine().getParseResult() != null && (Stream.of("--mode", "--nodes", "--bgp")
                .anyMatch(spec.commandLine().getParseResult()::hasMatchedOption));
        LabRestart restart = LabRestart.plan(home.clusterDir(), asked, shapeGiven);
        LabOptions options = restart.options();
        Optional<DaemonInfo> dead = DaemonInfo.dead(home.clusterDir());
        restart.describe(dead).ifPresent(System.out::println);
        if (dead.isPresent()) {
            DaemonInfo.remove(home.clusterDir());
        }
        Files.createDirectories(home.clusterDir());
        Path log = home.clusterDir().resolve("daemon.log");
        List<String> command = new ArrayList<>(List.of("setsid", System.getProperty("knet.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                // Netty's fast buffers need Unsafe on Java 25; leak sampling costs a stack trace per buffer
                "--sun-misc-unsafe-memory-access=allow", "-Dio.netty.leakDetection.level=disabled",
                "-Dknet.ingress.port=" + ingressPort,
                "-cp", System.getProperty("knet.classpath",
                        System.getProperty("java.class.path")), "-Dknet.log.level=INFO",
                "dev.knet.cli.lab.DaemonMain"));
        command.addAll(options.toArgs());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("KNET_HOME", home.root().toString());
        Process daemon = pb.start();
        System.err.println("Starting lab \"" + home.clusterName() + "\" (" + options.nodes() + " nodes, "
                + options.mode().name().toLowerCase(java.util.Locale.ROOT) + (options.bgp() ? " with BGP" : "")
                + ")...");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
        while (Instant.now().isBefore(deadline)) {
            if (DaemonInfo.running(home.clusterDir()).isPresent()) {
                System.out.println("Lab \"" + home.clusterName() + "\" is up. Try: knet --name " + home.clusterName()
                        + " status");
                if (ingressPort > 0) {
                    System.out.println("Ingress: http://127.0.0.1:" + ingressPort + "/ (once an Ingress routes there)");
                }
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
