package dev.knet.cli.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.knet.cli.light.TableProtocol;
import dev.knet.cli.print.ListTable;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Serves `knet get` tables already rendered ({@link TableProtocol}), so that the light client needs neither the
 * Kubernetes model nor a JSON mapper: rendering a PodList costs the CLI most of its start-up. The text comes
 * from the printers `knet get` itself uses ({@link ListTable}). Anything it cannot answer exactly (an unknown
 * kind) is a 404, on which the light client hands the command to the full CLI.
 */
public final class TableEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TableEndpoint.class);

    /** The objects of a kind in a namespace (null: all namespaces, or a cluster-scoped kind). */
    @FunctionalInterface
    public interface Source {
        List<? extends HasMetadata> list(ResourceKind<?> kind, String namespace);
    }

    private final Source source;

    public TableEndpoint(Source source) {
        this.source = source;
    }

    /** Reads the store directly: the same objects its REST API would list, without the JSON round trip. */
    public static TableEndpoint over(ApiStore store) {
        return new TableEndpoint((kind, namespace) -> store.list(kind, new ListOptions(namespace, null, null)).items());
    }

    /** A listening endpoint and the URL that goes into daemon.json. */
    public record Listening(HttpServer server, String url) implements AutoCloseable {
        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Listens on a port of its own on 127.0.0.1 (port 0 picks one). */
    public Listening listen(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext(TableProtocol.PATH, this);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new Listening(server, "http://127.0.0.1:" + server.getAddress().getPort() + TableProtocol.PATH);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !TableProtocol.PATH.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, null, "not found\n");
                return;
            }
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            Optional<ResourceKind<?>> kind = Optional.ofNullable(q.get("kind")).flatMap(ResourceKinds::byName);
            if (kind.isEmpty()) {
                send(exchange, 404, null, "no such kind\n");
                return;
            }
            boolean all = "true".equals(q.get("all"));
            String ns = ListTable.namespace(kind.get(), q.get("namespace"), all);
            ListTable table;
            try {
                table = ListTable.render(kind.get(), source.list(kind.get(), ns), ns, all);
            } catch (RuntimeException e) {
                // The light client falls back to the full CLI, which reports the failure in its own words.
                LOG.warn("rendering a {} table failed", kind.get().plural(), e);
                send(exchange, 500, null, "cannot render the table\n");
                return;
            }
            send(exchange, 200, switch (table.stream()) {
                case STDOUT -> TableProtocol.STDOUT;
                case STDERR -> TableProtocol.STDERR;
            }, table.text());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void send(HttpExchange exchange, int code, String output, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (output != null) {
            exchange.getResponseHeaders().set(TableProtocol.OUTPUT_HEADER, output);
        }
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
