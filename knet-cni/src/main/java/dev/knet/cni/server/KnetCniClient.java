package dev.knet.cni.server;

import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The plugin side of the thin path: hand the request to the agent's {@link KnetCniServer}. */
public final class KnetCniClient {

    private KnetCniClient() {
    }

    /**
     * Forwards the request. Empty when no server listens (the caller then runs the plugin itself).
     * Once the request has been sent, a broken connection is NOT an empty answer: the server may
     * have acted on it, so running it again in-process could double an ADD; the runtime gets
     * "try again later" (code 11) instead.
     */
    public static Optional<CniResponse> forward(Path socket, CniRequest request) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException notListening) {
            return Optional.empty();
        }
        try (channel) {
            WireFormat.writeRequest(new DataOutputStream(Channels.newOutputStream(channel)), request);
            return Optional.of(WireFormat.readResponse(new DataInputStream(Channels.newInputStream(channel))));
        } catch (IOException e) {
            String json = "{\"cniVersion\":\"1.1.0\",\"code\":11,\"msg\":\"knet agent connection lost\",\"details\":\""
                    + String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "'") + "\"}";
            return Optional.of(new CniResponse(1, json.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
