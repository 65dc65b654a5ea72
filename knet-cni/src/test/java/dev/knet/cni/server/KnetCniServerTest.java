package dev.knet.cni.server;

import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnetCniServerTest {

    @TempDir
    Path dir;

    /** Echoes the environment and stdin back, so the test sees exactly what crossed the socket. */
    static CniResponse echo(CniRequest r) {
        return new CniResponse(r.env().size(), (r.env().get("CNI_COMMAND") + "|" + r.stdinText())
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void forwardsEnvironmentAndStdinAndReturnsStdoutAndExitCode() {
        Path socket = dir.resolve("cni.sock");
        try (KnetCniServer server = KnetCniServer.start(socket, KnetCniServerTest::echo)) {
            CniRequest request = new CniRequest(Map.of("CNI_COMMAND", "ADD", "CNI_IFNAME", "eth0"),
                    "{\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8));

            CniResponse response = KnetCniClient.forward(server.socket(), request).orElseThrow();

            assertThat(response.exitCode()).isEqualTo(2);
            assertThat(response.stdoutText()).isEqualTo("ADD|{\"x\":\"ü\"}");
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void noServerMeansNoAnswer() throws Exception {
        CniRequest request = new CniRequest(Map.of("CNI_COMMAND", "VERSION"), new byte[0]);
        assertThat(KnetCniClient.forward(dir.resolve("none.sock"), request)).isEmpty();

        Path stale = dir.resolve("stale.sock");
        KnetCniServer.start(stale, KnetCniServerTest::echo).close();
        Files.createFile(stale);
        assertThat(KnetCniClient.forward(stale, request)).as("a leftover file, nobody listening").isEmpty();
    }

    @Test
    void replacesAStaleSocketButNotALiveOne() throws Exception {
        Path socket = dir.resolve("cni.sock");
        Files.createFile(socket);
        try (KnetCniServer server = KnetCniServer.start(socket, KnetCniServerTest::echo)) {
            assertThatThrownBy(() -> KnetCniServer.start(socket, KnetCniServerTest::echo))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(KnetCniClient.forward(socket, new CniRequest(Map.of("CNI_COMMAND", "DEL"), new byte[0])))
                    .isPresent();
        }
    }

    @Test
    void servesConcurrentCalls() {
        try (KnetCniServer server = KnetCniServer.start(dir.resolve("cni.sock"), KnetCniServerTest::echo);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<String>> calls = IntStream.range(0, 16).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> KnetCniClient.forward(server.socket(), new CniRequest(Map.of("CNI_COMMAND", "C" + i),
                            new byte[0])).orElseThrow().stdoutText(), clients)).toList();

            assertThat(calls.stream().map(CompletableFuture::join).toList())
                    .containsExactlyElementsOf(IntStream.range(0, 16).mapToObj(i -> "C" + i + "|").toList());
        }
    }
}
