package dev.knet.workloads.agnhost;

import dev.knet.workloads.ExecCommands;
import dev.knet.workloads.StubResolver;
import dev.knet.workloads.TestPods;
import dev.knet.workloads.pod.PodContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectTest {

    private static int httpPort;
    private static int udpPort;
    private static int closedPort;
    private static Netexec server;
    private static final PodContext CLIENT = TestPods.pod("client", StubResolver.empty(), Map.of());

    @BeforeAll
    static void start() throws Exception {
        httpPort = TestPods.freePort();
        udpPort = TestPods.freePort();
        closedPort = TestPods.freePort();
        server = new Netexec(NetexecOptions.parse(List.of("--http-port=" + httpPort, "--udp-port=" + udpPort)));
        server.start(TestPods.pod("server"));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** name, argv after "connect" (ports filled in), exit code, stderr prefix. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("tcp success", (IntFunction<List<String>>) p -> List.of("127.0.0.1:" + httpPort, "--timeout=2s"), 0, ""),
                Arguments.of("tcp refused", (IntFunction<List<String>>) p -> List.of("127.0.0.1:" + closedPort, "--timeout=2s"), 1, "REFUSED"),
                Arguments.of("udp answered by netexec", (IntFunction<List<String>>) p -> List.of("127.0.0.1:" + udpPort, "--protocol=udp", "--timeout=2s"), 0, ""),
                Arguments.of("udp refused", (IntFunction<List<String>>) p -> List.of("127.0.0.1:" + closedPort, "--protocol=udp", "--timeout=2s"), 1, "REFUSED: "),
                Arguments.of("udp timeout: silent server", (IntFunction<List<String>>) p -> List.of("127.0.0.1:" + p, "--protocol=udp", "--timeout=300ms"), 1, "TIMEOUT: "),
                Arguments.of("sctp not in this kernel", (IntFunction<List<String>>) p -> List.of("127.0.0.1:" + httpPort, "--protocol=sctp", "--timeout=1s"), 1, "OTHER: "),
                Arguments.of("missing port", (IntFunction<List<String>>) p -> List.of("127.0.0.1", "--timeout=1s"), 1, "UNKNOWN: "),
                Arguments.of("unknown name", (IntFunction<List<String>>) p -> List.of("no-such-svc:80", "--timeout=1s"), 1, "DNS: "),
                Arguments.of("no destination", (IntFunction<List<String>>) p -> List.of("--timeout=1s"), 1, "Error: accepts 1 arg(s), received 0"),
                Arguments.of("bad protocol", (IntFunction<List<String>>) p -> List.of("127.0.0.1:1", "--protocol=icmp"), 1, "Unsupported protocol"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitCodeAndMessageMatchAgnhost(String name, IntFunction<List<String>> args, int exitCode, String stderrPrefix)
            throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Connect.run(args.apply(silent.getLocalPort()), CLIENT, System.out, new PrintStream(err, true));

            assertThat(code).isEqualTo(exitCode);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(stderrPrefix);
        }
    }

    @Test
    void tcpTimeoutWhenTheListenQueueIsFull() throws Exception {
        // a listener that never accepts: once its queue is full (closed clients stay queued), Linux drops further SYNs
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String dest = "127.0.0.1:" + full.getLocalPort();
            for (int i = 0; i < 4; i++) {
                if (Connect.run(List.of(dest, "--timeout=300ms"), CLIENT, System.out, nowhere()) != 0) {
                    break;
                }
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = Connect.run(List.of(dest, "--timeout=300ms"), CLIENT, System.out, new PrintStream(err, true));

            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("TIMEOUT\n");
        }
    }

    static Stream<Arguments> execArgv() {
        return Stream.of(
                Arguments.of("/agnhost connect", List.of("/agnhost", "connect", "127.0.0.1:" + 1, "--timeout=1s"), true),
                Arguments.of("agnhost connect", List.of("agnhost", "connect", "127.0.0.1:" + 1, "--timeout=1s"), true),
                Arguments.of("another agnhost subcommand", List.of("/agnhost", "netexec"), false),
                Arguments.of("a program", List.of("ls", "-l"), false),
                Arguments.of("empty", List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("execArgv")
    void execRunsOnlyAgnhostConnectInProcess(String name, List<String> argv, boolean builtIn) {
        Optional<Integer> result = ExecCommands.tryRunBuiltin(argv, CLIENT, System.out, nowhere());

        assertThat(result.isPresent()).isEqualTo(builtIn);
    }

    @Test
    void execConnectReturnsTheExitCode() {
        assertThat(ExecCommands.tryRunBuiltin(List.of("/agnhost", "connect", "127.0.0.1:" + httpPort, "--timeout=2s"),
                CLIENT, System.out, nowhere())).contains(0);
        assertThat(ExecCommands.tryRunBuiltin(List.of("/agnhost", "connect", "127.0.0.1:" + closedPort, "--timeout=2s"),
                CLIENT, System.out, nowhere())).contains(1);
    }

    private static PrintStream nowhere() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
