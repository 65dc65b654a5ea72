package dev.knet.dataplane.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP port on the host's loopback relayed to an address reachable from a lab namespace, like
 * kind's port mappings: {@code curl http://127.0.0.1:8080/} lands on the ingress LoadBalancer.
 *
 * <p>Why a user-space relay and not a DNAT rule: the host's own namespace gets no rule, route or
 * address; a listening socket on 127.0.0.1 is all it sees, and it goes away with the process.
 */
public final class HostPortForward implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HostPortForward.class.getName());
    private static final int BUFFER = 64 * 1024;

    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final Dialer dialer;
    private final Thread acceptor;

    private HostPortForward(ServerSocketChannel server, InetSocketAddress target, Dialer dialer) {
        this.server = server;
        this.target = target;
        this.dialer = dialer;
        this.acceptor = Thread.ofVirtual().name("knet-forward-" + target).start(this::acceptLoop);
    }

    /**
     * Listens on {@code listen}, which must be a loopback address, and relays every connection to
     * {@code target} through {@code dialer}.
     */
    public static HostPortForward start(InetSocketAddress listen, InetSocketAddress target, Dialer dialer)
            throws IOException {
        if (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("host port forwards listen on loopback only, not " + listen);
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(listen);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        return new HostPortForward(server, target, dialer);
    }

    public InetSocketAddress listenAddress() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("forward already closed", e);
        }
    }

    public InetSocketAddress target() {
        return target;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accept on " + server + " failed: " + e.getMessage());
                continue;
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(SocketChannel client) {
        SocketChannel upstream;
        try {
            upstream = dialer.dial(target);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.INFO, "forward to " + target + " failed: " + e.getMessage());
            closeQuietly(client); // the client sees the connection close, as with a refused port
            return;
        }
        Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
        pump(client, upstream);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies until EOF, then half-closes the other side so request/response protocols finish. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from); // a reset on one side ends both directions
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort; the peer sees a reset at worst
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + server + " failed", e);
        }
        acceptor.interrupt();
    }
}
