package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.KnetHome;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.lab.LabHost;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.Pod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * knet demo: the talk's tour end to end on a fresh lab — pods across three VXLAN nodes, Book review
 * behind an Ingress reached from the host, the two NetworkPolicies and what they allow and deny.
 * Every step runs the same commands a user would type, in-process.
 */
@Command(name = "demo", description = "Bring up a 3-node lab, serve Book review through an Ingress on "
        + "127.0.0.1, apply the talk's NetworkPolicies, verify them, and tear it all down.")
public final class DemoCommand implements Callable<Integer> {

    private static final Pattern REVIEWS_POD = Pattern.compile("reviews-(v\\d)");
    private static final int PAGE_FETCHES = 9;
    /** More pages while a version has not shown up yet: the Service picks an endpoint at random. */
    private static final int MAX_PAGE_FETCHES = 30;
    private static final java.util.Set<String> REVIEWS_VERSIONS = java.util.Set.of("v1", "v2", "v3");

    @ParentCommand
    Main main;

    @Option(names = "--keep", description = "Leave the lab running at the end.")
    boolean keep;

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes (default 3).")
    int nodes;

    @Option(names = "--mode", defaultValue = "vxlan", description = "Pod network mode (default vxlan).")
    String mode;

    @Option(names = "--port", defaultValue = "8080", description = "The host loopback port of the ingress (default 8080).")
    int port;

    private final Instant started = Instant.now();

    @Override
    public Integer call() throws Exception {
        KnetHome home = main.home();
        Path examples = examples();
        LabHost.whyNot().ifPresent(why -> {
            throw new CliException("knet demo builds a lab in network namespaces, and this host cannot: " + why);
        });
        if (!LoopbackPorts.isFree(port)) {
            throw new CliException("127.0.0.1:" + port + " is in use (another lab?): choose a free port with "
                    + "knet demo --port N");
        }
        List<String> summary = new ArrayList<>();
        boolean up = false;
        try {
            step(1, "Bringing up a " + nodes + "-node lab (" + mode + ") named " + home.clusterName());
            knet(home, "up", "--nodes", String.valueOf(nodes), "--mode", mode, "--port", String.valueOf(port));
            up = true;

            step(2, "Deploying Book review and its Ingress");
            knet(home, "apply", "-f", examples.resolve("bookinfo").toString());

            step(3, "Waiting for every pod to be Running and Ready");
            int pods = awaitPodsReady(home, Duration.ofSeconds(90));
            knet(home, "get", "pods", "-o", "wide");
            summary.add(pods + " pods Running on " + nodes + " nodes, each with its own IP");

            step(4, "curl http://127.0.0.1:" + port + "/productpage (through the Ingress)");
            Map<String, Integer> versions = fetchPages();
            versions.forEach((version, count) -> System.out.println("  reviews " + version + ": " + count + " pages"));
            summary.add(versions.keySet().containsAll(REVIEWS_VERSIONS)
                    ? "productpage through the Ingress: reviews versions " + versions.keySet() + " took turns"
                    : "productpage through the Ingress answered, but only reviews " + versions.keySet()
                    + " of v1, v2 and v3 in " + versions.values().stream().mapToInt(Integer::intValue).sum()
                    + " pages");

            step(5, "Applying the talk's two NetworkPolicies");
            knet(home, "apply", "-f", examples.resolve("bookinfo").resolve("policies").toString());

            step(6, "knet verify: what is allowed and denied now, and why");
            int verify = run(home, "verify");
            summary.add(verify == 0 ? "knet verify: the model and real probes agree" : "knet verify: disagreements (above)");

            System.out.println();
            System.out.println("Summary (" + Duration.between(started, Instant.now()).toSeconds() + " s):");
            summary.forEach(line -> System.out.println("  - " + line));
            return verify;
        } finally {
            if (up && !keep) {
                step(7, "Tearing the lab down (--keep leaves it running)");
                run(home, "down");
            } else if (up) {
                System.out.println("The lab stays up: knet --name " + home.clusterName() + " status; "
                        + "knet --name " + home.clusterName() + " down");
            }
        }
    }

    private Path examples() {
        List<Path> candidates = new ArrayList<>();
        String root = System.getProperty("knet.home.dir");
        if (root != null) {
            candidates.add(Path.of(root, "examples"));
        }
        candidates.add(Path.of("examples"));
        return candidates.stream().filter(p -> Files.isDirectory(p.resolve("bookinfo"))).findFirst()
                .orElseThrow(() -> new CliException("knet demo needs the examples/bookinfo folder of the knet "
                        + "checkout; run it as ./knet demo from there"));
    }

    private void step(int number, String what) {
        System.out.printf("%n[%3ds] %d. %s%n", Duration.between(started, Instant.now()).toSeconds(), number, what);
        System.out.flush();
    }

    private void knet(KnetHome home, String... args) {
        int code = run(home, args);
        if (code != 0) {
            throw new CliException("knet " + String.join(" ", args) + " failed (exit " + code + ")");
        }
    }

    private int run(KnetHome home, String... args) {
        List<String> argv = new ArrayList<>(List.of("--name", home.clusterName()));
        argv.addAll(List.of(args));
        CommandLine cl = Main.commandLine();
        int code = cl.execute(argv.toArray(String[]::new));
        System.out.flush();
        return code;
    }

    private static int awaitPodsReady(KnetHome home, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (ClusterClient client = Clusters.connect(home)) {
            while (true) {
                List<Pod> pods = client.list(ResourceKinds.POD, null, null);
                long ready = pods.stream().filter(DemoCommand::ready).count();
                if (!pods.isEmpty() && ready == pods.size()) {
                    return pods.size();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new CliException(ready + " of " + pods.size() + " pods Ready after " + timeout.toSeconds()
                            + " s; see knet get pods -A and knet describe pod NAME");
                }
                Thread.sleep(250); // polling a user-facing wait, not a test
            }
        }
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Fetches the page a few times; the reviews version behind each shows the Service balancing. */
    private Map<String, Integer> fetchPages() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/productpage");
        Map<String, Integer> versions = new TreeMap<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        int fetched = 0;
        String lastProblem = "no answer";
        while (fetched < PAGE_FETCHES
                || fetched < MAX_PAGE_FETCHES && !versions.keySet().containsAll(REVIEWS_VERSIONS)) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = REVIEWS_POD.matcher(response.body());
                if (response.statusCode() == 200 && m.find()) {
                    fetched++;
                    versions.merge(m.group(1), 1, Integer::sum);
                    System.out.println("  " + response.statusCode() + " The Comedy of Errors, reviews served by "
                            + m.group());
                    continue;
                }
                lastProblem = "HTTP " + response.statusCode();
            } catch (java.io.IOException e) {
                lastProblem = e.toString();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CliException("the ingress did not serve /productpage on 127.0.0.1:" + port + " ("
                        + lastProblem + ")");
            }
            Thread.sleep(250); // the ingress may still be learning its routes
        }
        return versions;
    }
}
