package dev.knet.proxy.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.knet.proxy.route.ServiceBackend;
import dev.knet.proxy.server.EndpointResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP servers inside backend namespaces, one per replica of each Service (its own port), that
 * answer "SERVICE POD METHOD URI PROTO" on the first body line and echo each request header as
 * "name: value" after it. Also the EndpointResolver of the proxy: a Service's endpoints by name.
 */
final class LabBackends implements EndpointResolver, AutoCloseable {

    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, List<InetSocketAddress>> byService = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private int nextPort = 18000;

    /** Starts replicas servers of service in netns, listening on address. */
    void start(String netns, InetAddress address, String service, int replicas) throws Exception {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            String pod = service + "-" + i;
            InetSocketAddress at = new InetSocketAddress(address, nextPort++);
            HttpServer server = LabNamespaces.in(netns, () -> {
                HttpServer s = HttpServer.create(at, 64);
                s.setExecutor(executor);
                s.createContext("/", exchange -> answer(exchange, service, pod));
                s.start();
                return s;
            });
            servers.add(server);
            endpoints.add(at);
        }
        byService.put(service, List.copyOf(endpoints));
    }

    private static void answer(HttpExchange exchange, String service, String pod) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            StringBuilder body = new StringBuilder(service + " " + pod + " " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + " " + exchange.getProtocol() + "\n");
            exchange.getRequestHeaders().forEach((k, v) ->
                    body.append(k.toLowerCase()).append(": ").append(String.join(",", v)).append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.getResponseHeaders().set("Server", "knet-lab-echo");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public List<InetSocketAddress> endpoints(ServiceBackend backend) {
        return byService.getOrDefault(backend.name(), List.of());
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
