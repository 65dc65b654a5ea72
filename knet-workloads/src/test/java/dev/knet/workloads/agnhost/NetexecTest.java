package dev.knet.workloads.agnhost;

import dev.knet.workloads.Json;
import dev.knet.workloads.TestPods;
import dev.knet.workloads.pod.PodContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NetexecTest {

    private static final String HOST = "netexec-7f9c";
    private static int httpPort;
    private static int udpPort;
    private static Netexec netexec;

    @BeforeAll
    static void start() throws Exception {
        httpPort = TestPods.freePort();
        udpPort = TestPods.freePort();
        netexec = new Netexec(NetexecOptions.parse(List.of("--http-port=" + httpPort, "--udp-port", "" + udpPort)));
        netexec.start(TestPods.pod(HOST));
    }

    @AfterAll
    static void stop() {
        netexec.stop();
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("hostname", "/hostname", 200, HOST),
                Arguments.of("old hostName path", "/hostName", 200, HOST),
                Arguments.of("echo", "/echo?msg=hello%20there", 200, "hello there"),
                Arguments.of("echo with status", "/echo?msg=nope&code=404", 404, "nope"),
                Arguments.of("echo with bad code", "/echo?msg=x&code=abc", 200,
                        "argument 'code' must be an integer or empty, got \"abc\"\n"),
                Arguments.of("healthz while UDP serves", "/healthz", 200, ""),
                Arguments.of("header by key", "/header?key=X-Knet-Test", 200, "marker"),
                Arguments.of("dial without request", "/dial?host=127.0.0.1&port=1", 400,
                        "request parameter not specified. <nil>\n"),
                Arguments.of("dial bad protocol", "/dial?request=x&protocol=quic&host=127.0.0.1&port=1", 400,
                        "unsupported protocol. quic\n"),
                Arguments.of("dial bad host", "/dial?request=x&host=no-such-host&port=1", 400,
                        "host and/or port param are invalid. no-such-host: no such host\n"),
                Arguments.of("shell is refused", "/shell?cmd=ls", 417,
                        "{\"error\":\"knet's built-in agnhost does not run commands or store files (/shell)\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void answersLikeAgnhost(String name, String path, int status, String body) {
        HttpResponse<String> response = TestPods.get(httpPort, path, Map.of("X-Knet-Test", "marker"));

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void rootAndUnknownPathsAnswerTheTime() {
        assertThat(TestPods.get(httpPort, "/").body()).startsWith("NOW: ");
        assertThat(TestPods.get(httpPort, "/no/such/path").body()).startsWith("NOW: ");
    }

    @Test
    void clientIpIsTheCallersAddressAndPort() {
        assertThat(TestPods.get(httpPort, "/clientip").body()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void headerWithoutKeyListsCanonicalHeaders() {
        Map<String, Object> headers = Json.readObject(
                TestPods.get(httpPort, "/header", Map.of("x-knet-test", "marker")).body());

        assertThat(headers).containsEntry("X-Knet-Test", List.of("marker")).doesNotContainKey("Host");
    }

    static Stream<Arguments> udpCommands() {
        return Stream.of(
                Arguments.of("hostname", "hostname", HOST),
                Arguments.of("echo lower-cases like agnhost", "echo Hello UDP\n", "hello udp"),
                Arguments.of("clientip", "clientip", "127.0.0.1:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("udpCommands")
    void udpServerAnswersCommands(String name, String command, String expectedPrefix) throws IOException {
        assertThat(udpExchange(udpPort, command)).startsWith(expectedPrefix);
    }

    @Test
    void dialsHttpAndUdpAndReportsErrors() {
        int closed = TestPods.freePort();
        Map<String, Object> http = Json.readObject(TestPods.get(httpPort,
                "/dial?request=hostname&protocol=http&host=127.0.0.1&port=" + httpPort + "&tries=2").body());
        Map<String, Object> udp = Json.readObject(TestPods.get(httpPort,
                "/dial?request=echo%20hi&protocol=udp&host=127.0.0.1&port=" + udpPort).body());
        Map<String, Object> refused = Json.readObject(TestPods.get(httpPort,
                "/dial?request=hostname&host=127.0.0.1&port=" + closed).body());

        assertThat(http).containsEntry("responses", List.of(HOST, HOST)).doesNotContainKey("errors");
        assertThat(udp).containsEntry("responses", List.of("hi"));
        assertThat(refused).doesNotContainKey("responses");
        assertThat(refused.get("errors")).asList().singleElement().asString()
                .startsWith("Get \"http://127.0.0.1:" + closed + "/hostname\": ").containsIgnoringCase("refused");
    }

    @Test
    void exitEndsTheWorkloadWithTheCodeAndClosesItsPorts() throws Exception {
        int port = TestPods.freePort();
        Netexec own = new Netexec(NetexecOptions.parse(List.of("--http-port=" + port, "--udp-port=-1")));
        PodContext ctx = TestPods.pod("exiting");
        own.start(ctx);
        assertThat(TestPods.get(port, "/healthz").statusCode()).as("no UDP server: not ready, as agnhost").isEqualTo(412);

        assertThatThrownBy(() -> TestPods.get(port, "/exit?code=3")).isInstanceOf(RuntimeException.class);

        assertThat(own.termination().get()).isEqualTo(3);
        await().untilAsserted(() -> assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                .isInstanceOf(IOException.class));
    }

    @Test
    void sctpPortOnAKernelWithoutSctpLeavesHttpServing() throws Exception {
        int port = TestPods.freePort();
        Netexec own = new Netexec(NetexecOptions.parse(List.of("--http-port=" + port, "--udp-port=-1",
                "--sctp-port=" + TestPods.freePort())));
        own.start(TestPods.pod("sctp"));
        try {
            assertThat(TestPods.get(port, "/hostname").body()).isEqualTo("sctp");
        } finally {
            own.stop();
        }
        assertThat(own.termination()).isCompletedWithValue(0);
    }

    @Test
    void portInUseFailsTheStartWithATypedError() throws Exception {
        Netexec second = new Netexec(NetexecOptions.parse(List.of("--http-port=" + httpPort, "--udp-port=-1")));

        assertThatThrownBy(() -> second.start(TestPods.pod("second")))
                .isInstanceOf(dev.knet.workloads.WorkloadException.class)
                .hasMessageContaining("could not start").hasCauseInstanceOf(IOException.class);
    }

    static String udpExchange(int port, String text) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
            byte[] in = new byte[2048];
            DatagramPacket reply = new DatagramPacket(in, in.length);
            socket.receive(reply);
            return new String(in, 0, reply.getLength(), StandardCharsets.UTF_8);
        }
    }
}
