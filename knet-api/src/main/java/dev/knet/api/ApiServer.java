package dev.knet.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.knet.model.KnetJson;
import dev.knet.store.ApiException;
import dev.knet.store.ApiStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The Kubernetes REST API over an {@link ApiStore}: list, watch (a stream of JSON lines), get,
 * create (POST), replace (PUT, and PUT .../status), merge-patch (PATCH) and delete, with Status
 * bodies for failures. kubectl-style clients and fabric8's client work against it. knet's own
 * endpoints live under /apis/knet.dev/v1 (atomic multi-object apply); /healthz, /livez and /readyz answer "ok".
 * Binds loopback only.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** The API server's health endpoints, as kube-apiserver serves them (plain "ok"). */
    private static final Set<String> HEALTH_PATHS = Set.of("/healthz", "/livez", "/readyz");

    private final HttpServer server;
    private final ResourceHandler resources;

    private ApiServer(HttpServer server, ResourceHandler resources) {
        this.server = server;
        this.resources = resources;
    }

    /** Starts on the address (port 0 picks one); the address must be a loopback one. */
    public static ApiServer start(InetSocketAddress address, ApiStore store, ControlPlaneHooks hooks)
            throws IOException {
        Objects.requireNonNull(store, "store");
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the API server listens on loopback only, not " + address);
        }
        HttpServer server = HttpServer.create(address, 128);
        ResourceHandler resources = new ResourceHandler(store, hooks);
        ApiServer api = new ApiServer(server, resources);
        server.createContext("/", api::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        LOG.info("API server listening on {}", api.address());
        return api;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The base URL clients use, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://" + address().getHostString() + ":" + address().getPort();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            if (HEALTH_PATHS.contains(exchange.getRequestURI().getRawPath())) {
                sendText(exchange, 200, "ok"); // answered while the process serves: what a restart waits for
                return;
            }
            try {
                resources.handle(exchange, exchange.getRequestURI().getRawPath(), query(exchange));
            } catch (ApiException e) {
                send(exchange, e.code(), KnetJson.toJson(StatusBody.failure(e)));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, KnetJson.toJson(StatusBody.failure(400, "BadRequest", e.getMessage())));
            } catch (RuntimeException e) {
                LOG.warn("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                send(exchange, 500, KnetJson.toJson(StatusBody.failure(500, "InternalError", String.valueOf(e))));
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private static void sendText(HttpExchange exchange, int code, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void send(HttpExchange exchange, int code, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
