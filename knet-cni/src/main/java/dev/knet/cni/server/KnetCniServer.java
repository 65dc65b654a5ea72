package dev.knet.cni.server;

import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * The agent-hosted end of the thin plugin path: a unix socket that accepts a forwarded CNI call
 * (environment + stdin) and answers with stdout + exit code, so a pod ADD costs a small client
 * JVM instead of a full plugin start. One virtual thread per call; the handler (normally
 * {@code KnetCniPlugin::handle}) must be thread-safe.
 */
public final class KnetCniServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnetCniServer.class);

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<CniRequest, CniResponse> handler;
    private final Thread acceptor;

    private KnetCniServer(Path socket, ServerSocketChannel server, Function<CniRequest, CniResponse> handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().daemon().name("knet-cni-server").unstarted(this::acceptLoop);
    }

    /** Binds {@code socket} (replacing a stale file, refusing if a live server owns it) and starts serving. */
    public static KnetCniServer start(Path socket, Function<CniRequest, CniResponse> handler) {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            if (Files.exists(socket)) {
                try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    throw new IllegalStateException("a server already listens on " + socket);
                } catch (IOException stale) {
                    Files.delete(socket);
                }
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket));
            // the socket creates pods: only its owner (root) may talk to it
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            KnetCniServer s = new KnetCniServer(socket, ch, handler);
            s.acceptor.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socket, e);
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("knet-cni-call").start(() -> serve(client));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("accept on {} failed", socket, e);
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            CniRequest request = WireFormat.readRequest(new DataInputStream(Channels.newInputStream(client)));
            CniResponse response = handler.apply(request);
            WireFormat.writeResponse(new DataOutputStream(Channels.newOutputStream(client)), response);
        } catch (IOException | RuntimeException e) {
            LOG.warn("CNI call over {} failed", socket, e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
