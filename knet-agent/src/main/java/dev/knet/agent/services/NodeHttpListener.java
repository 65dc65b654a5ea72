package dev.knet.agent.services;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.knet.dataplane.netns.NetnsThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A small HTTP listener whose socket lives in the node's network namespace: the socket is bound on a thread
 * switched into that namespace (it stays there after the thread leaves), so one agent process can serve on
 * every lab node. With no namespace it binds where the process runs, as on a real node.
 */
final class NodeHttpListener implements AutoCloseable {

    private final HttpServer server;

    private NodeHttpListener(HttpServer server) {
        this.server = server;
    }

    static NodeHttpListener start(Optional<String> netns, InetSocketAddress address, HttpHandler handler, Executor executor) {
        Objects.requireNonNull(handler, "handler");
        HttpServer server;
        try {
            server = netns.isPresent() ? NetnsThread.run(netns.get(), () -> HttpServer.create(address, 16))
                    : HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + netns.map(n -> " in " + n).orElse(""), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + address + netns.map(n -> " in " + n).orElse(""), e);
        }
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return new NodeHttpListener(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
