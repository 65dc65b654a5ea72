package dev.knet.cli.light;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the daemon's replies: bodies by length or to the close, the protocol header, and what is refused. */
class LoopbackGetTest {

    static Stream<Arguments> replies() {
        return Stream.of(
                Arguments.of("by Content-Length", "HTTP/1.1 200 OK\r\nContent-length: 3\r\nKnet-Output: stdout\r\n\r\nabcIGNORED",
                        new LoopbackGet.Reply(200, "stdout", "abc")),
                Arguments.of("to the close", "HTTP/1.1 200 OK\r\nknet-output:  stderr \r\n\r\nNo resources found\n",
                        new LoopbackGet.Reply(200, "stderr", "No resources found\n")),
                Arguments.of("no protocol header", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                        new LoopbackGet.Reply(404, null, "")),
                Arguments.of("UTF-8 body", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nKnet-Output: stdout\r\n\r\nü\n",
                        new LoopbackGet.Reply(200, "stdout", "ü\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void reads(String name, String raw, LoopbackGet.Reply expected) throws IOException {
        assertThat(LoopbackGet.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)))).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
                Arguments.of("headers cut", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"),
                Arguments.of("not HTTP", "SSH-2.0-OpenSSH\r\n\r\n"),
                Arguments.of("bad status", "HTTP/1.1 OK\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(String name, String raw) {
        assertThatThrownBy(() -> LoopbackGet.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
    }

    static Stream<Arguments> notLoopback() {
        return Stream.of(Arguments.of("https", "https://127.0.0.1:1/x"), Arguments.of("a remote host", "http://192.0.2.1:80/x"),
                Arguments.of("no port", "http://127.0.0.1/x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notLoopback")
    void talksToLoopbackOnly(String name, String url) {
        assertThatThrownBy(() -> LoopbackGet.get(url, null)).isInstanceOf(IOException.class);
    }
}
