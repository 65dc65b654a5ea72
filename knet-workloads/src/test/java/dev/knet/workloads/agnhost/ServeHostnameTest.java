package dev.knet.workloads.agnhost;

import dev.knet.workloads.TestPods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServeHostnameTest {

    static Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("defaults: HTTP on 9376", List.of(), new ServeHostnameOptions(9376, false, false, true, false)),
                Arguments.of("udp alone turns HTTP off", List.of("--port=80", "--udp"),
                        new ServeHostnameOptions(80, false, true, false, false)),
                Arguments.of("tcp and udp", List.of("--tcp", "--udp", "--port", "9000"),
                        new ServeHostnameOptions(9000, true, true, false, false)),
                Arguments.of("udp with explicit http", List.of("--udp", "--http=true"),
                        new ServeHostnameOptions(9376, false, true, true, false)),
                Arguments.of("close", List.of("--close"), new ServeHostnameOptions(9376, false, false, true, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void parsesFlagsLikeAgnhost(String name, List<String> args, ServeHostnameOptions expected) throws Exception {
        assertThat(ServeHostnameOptions.parse(args)).isEqualTo(expected);
    }

    @Test
    void refusesHttpAndTcpTogetherAndUnknownFlags() {
        assertThatThrownBy(() -> ServeHostnameOptions.parse(List.of("--tcp", "--http")))
                .hasMessage("Can't server TCP/UDP mode and HTTP mode at the same time");
        assertThatThrownBy(() -> ServeHostnameOptions.parse(List.of("--prot=1"))).hasMessage("unknown flag: --prot");
    }

    @Test
    void servesTheHostnameOverTcpAndUdp() throws Exception {
        int port = TestPods.freePort();
        ServeHostname workload = new ServeHostname(ServeHostnameOptions.parse(List.of("--tcp", "--udp", "--port=" + port)));
        workload.start(TestPods.pod("hostname-a"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .as("writes the hostname and closes").isEqualTo("hostname-a");
            assertThat(NetexecTest.udpExchange(port, "anything")).isEqualTo("hostname-a");
        } finally {
            workload.stop();
        }
    }

    @Test
    void servesTheHostnameOverHttp() throws Exception {
        int port = TestPods.freePort();
        ServeHostname workload = new ServeHostname(ServeHostnameOptions.parse(List.of("--port=" + port)));
        workload.start(TestPods.pod("hostname-b"));
        try {
            assertThat(TestPods.get(port, "/any/path").body()).isEqualTo("hostname-b");
        } finally {
            workload.stop();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("stop closes the port")
                .isInstanceOf(IOException.class);
    }
}
