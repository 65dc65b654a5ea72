package dev.knet.proxy.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP backend that echoes what it saw: "name method uri" on the first body line, then
 * each request header as "name: value". Remembers the client port of each request so tests can
 * tell whether the proxy reused a connection. Requests to "/hang" wait until release().
 */
public final class EchoBackend implements AutoCloseable {

    public final String name;
    private final HttpServer server;
    final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final CountDownLatch hang = new CountDownLatch(1);

    public EchoBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    void release() {
        hang.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/hang")) {
                try {
                    hang.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            StringBuilder body = new StringBuilder(name + " " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + "\n");
            lastHeaders.clear();
            exchange.getRequestHeaders().forEach((k, v) -> {
                lastHeaders.put(k.toLowerCase(), String.join(",", v));
                body.append(k.toLowerCase()).append(": ").append(String.join(",", v)).append('\n');
            });
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.getResponseHeaders().set("X-Backend", name);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
