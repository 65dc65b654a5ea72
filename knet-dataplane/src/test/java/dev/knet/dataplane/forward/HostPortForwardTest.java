package dev.knet.dataplane.forward;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortForwardTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void relaysBothWaysAndHalfClosesSoTheAnswerArrives() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerUppercase(upstream));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort());
            try (HostPortForward forward = HostPortForward.start(ANY_LOOPBACK_PORT, target, Dialer.direct());
                 Socket client = new Socket()) {
                client.connect(forward.listenAddress());
                client.getOutputStream().write("hello through the lab".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).isEqualTo("HELLO THROUGH THE LAB");
            }
        }
    }

    @Test
    void anUnreachableTargetClosesTheClientConnection() throws Exception {
        Dialer refusing = target -> {
            throw new IOException("connection refused");
        };
        try (HostPortForward forward = HostPortForward.start(ANY_LOOPBACK_PORT,
                new InetSocketAddress("198.18.0.200", 80), refusing);
             Socket client = new Socket()) {
            client.connect(forward.listenAddress());
            assertThat(client.getInputStream().read()).as("EOF, not a hang").isEqualTo(-1);
        }
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThatThrownBy(() -> HostPortForward.start(new InetSocketAddress("0.0.0.0", 0),
                new InetSocketAddress("198.18.0.200", 80), Dialer.direct()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback only");
    }

    private static void answerUppercase(ServerSocket server) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            String request = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            out.write(request.toUpperCase().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
