package dev.knet.cli.light;

import dev.knet.cli.CliRun;
import dev.knet.api.RestPath;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.cli.lab.TableEndpoint;
import dev.knet.model.KnetJson;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The light `get` prints exactly what the full CLI prints, for the same objects: the full CLI lists them over
 * the REST API of a stand-in daemon, the light client asks the same stand-in's {@link TableEndpoint}.
 * The stand-in "daemon" process is a sleep whose command line names the daemon's main class, which is how
 * both clients recognise a running lab.
 */
class LightGetEquivalenceTest {

    private static final String CLUSTER = "lighteq";
    private static final List<HasMetadata> OBJECTS = new ArrayList<>();
    private static StandInDaemon daemon;
    private static Path home;
    private static String savedUserHome;

    @BeforeAll
    static void startStandIn() throws IOException {
        // The full CLI finds daemon.json through KNET_HOME or user.home; only the latter can be set here.
        assumeTrue(System.getenv("KNET_HOME") == null, "KNET_HOME is set in the environment of the tests");
        home = Files.createTempDirectory("knet-light-eq");
        daemon = StandInDaemon.start(OBJECTS);
        savedUserHome = System.getProperty("user.home");
    }

    @AfterAll
    static void stopStandIn() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void publishDaemon() throws IOException {
        System.setProperty("user.home", home.toString());
        new DaemonInfo(daemon.pid(), daemon.url(), CLUSTER, "vxlan", 2, "2025-01-01T00:00:00Z",
                daemon.url() + TableProtocol.PATH).write(home.resolve(".knet/clusters").resolve(CLUSTER));
    }

    /** Clusters whose daemon the light client must not trust: gone, too old to render tables, unreadable. */
    @BeforeEach
    void publishUntrustedDaemons() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path clusters = home.resolve(".knet/clusters");
        new DaemonInfo(gone.pid(), daemon.url(), "deadlab", "vxlan", 2, "2025-01-01T00:00:00Z",
                daemon.url() + TableProtocol.PATH).write(clusters.resolve("deadlab"));
        new DaemonInfo(daemon.pid(), daemon.url(), "oldlab", "vxlan", 2, "2025-01-01T00:00:00Z", null)
                .write(clusters.resolve("oldlab"));
        Files.createDirectories(clusters.resolve("brokenlab"));
        Files.writeString(clusters.resolve("brokenlab").resolve(DaemonInfo.FILE), "{\"pid\":");
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", savedUserHome);
        OBJECTS.clear();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("pods in various states", PodFixtures.VARIOUS, List.of("get", "pods")),
                Arguments.of("no pods: the message on stderr", "", List.of("get", "pods")),
                Arguments.of("-n picks the namespace", PodFixtures.VARIOUS, List.of("get", "pods", "-n", "kube-system")),
                Arguments.of("-n of an empty namespace", PodFixtures.VARIOUS, List.of("get", "pod", "--namespace=none")),
                Arguments.of("-A adds NAMESPACE", PodFixtures.VARIOUS, List.of("get", "pods", "-A")),
                Arguments.of("-A with nothing", "", List.of("get", "pods", "--all-namespaces")),
                Arguments.of("services", PodFixtures.SERVICES, List.of("get", "svc")),
                Arguments.of("services of every namespace", PodFixtures.SERVICES, List.of("get", "services", "-A")),
                Arguments.of("nodes", PodFixtures.NODES, List.of("get", "nodes")),
                Arguments.of("nodes ignore -A", PodFixtures.NODES, List.of("get", "node", "-A")),
                Arguments.of("--name after the kind", PodFixtures.VARIOUS, List.of("get", "pods", "--name=" + CLUSTER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lightPrintsWhatTheFullCliPrints(String name, String manifests, List<String> args) {
        OBJECTS.addAll(manifests.isEmpty() ? List.of() : Manifests.parse(manifests, name));
        List<String> withName = new ArrayList<>(args);
        if (args.stream().noneMatch(a -> a.equals("--name") || a.startsWith("--name="))) {
            withName.addAll(0, List.of("--name", CLUSTER));
        }
        String[] argv = withName.toArray(String[]::new);

        CliRun full = CliRun.of(argv);
        CliRun light = light(argv);

        assertThat(light.code()).as("the light client answered itself (full CLI: %s)", full).isZero();
        assertThat(full.code()).as(full.err()).isZero();
        assertThat(light).isEqualTo(full);
        assertThat(light.out() + light.err()).as("something was printed").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fallbacks")
    void fallsBackWithoutPrinting(String name, List<String> args) {
        CliRun light = light(args.toArray(String[]::new));
        assertThat(light).isEqualTo(new CliRun(LightGet.FALLBACK, "", ""));
    }

    static Stream<Arguments> fallbacks() {
        return Stream.of(
                Arguments.of("a kind the daemon does not know", List.of("--name", CLUSTER, "get", "gizmos")),
                Arguments.of("no daemon running: no daemon.json", List.of("--name", "nosuchlab", "get", "pods")),
                Arguments.of("no daemon running: its pid is gone", List.of("--name", "deadlab", "get", "pods")),
                Arguments.of("an older daemon without tables", List.of("--name", "oldlab", "get", "pods")),
                Arguments.of("a half-written daemon.json", List.of("--name", "brokenlab", "get", "pods")),
                Arguments.of("a form only the full CLI knows", List.of("--name", CLUSTER, "get", "pods", "-o", "wide")));
    }

    static CliRun light(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LightGet.run(args, Map.of(), home.toString(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A process recognised as the lab daemon, plus an HTTP server holding the objects: lists on the REST paths
     * for the full CLI, rendered tables on {@link TableProtocol#PATH} for the light one.
     */
    record StandInDaemon(Process process, com.sun.net.httpserver.HttpServer server) implements AutoCloseable {

        static StandInDaemon start(List<HasMetadata> objects) throws IOException {
            Process p = new ProcessBuilder("bash", "-c", "exec -a " + dev.knet.cli.lab.DaemonMain.class.getName()
                    + " sleep 3600").redirectErrorStream(true).start();
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 16);
            TableEndpoint.Source source = (kind, ns) -> select(objects, kind, ns);
            server.createContext(TableProtocol.PATH, new TableEndpoint(source));
            server.createContext("/api", exchange -> {
                try (exchange) {
                    RestPath path = RestPath.parse(exchange.getRequestURI().getPath());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("apiVersion", path.kind().apiVersion());
                    body.put("kind", path.kind().kind() + "List");
                    body.put("items", select(objects, path.kind(), path.namespace()));
                    byte[] bytes = KnetJson.toJson(body).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                } catch (RuntimeException e) {
                    byte[] bytes = ("{\"kind\":\"Status\",\"code\":404,\"message\":\"" + e.getMessage() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            });
            server.start();
            return new StandInDaemon(p, server);
        }

        private static List<HasMetadata> select(List<HasMetadata> objects, ResourceKind<?> kind, String ns) {
            return objects.stream().filter(o -> o.getKind().equals(kind.kind()))
                    .filter(o -> ns == null || ns.equals(o.getMetadata().getNamespace() == null ? "default"
                            : o.getMetadata().getNamespace()))
                    .toList();
        }

        long pid() {
            return process.pid();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            process.destroyForcibly();
        }
    }
}
