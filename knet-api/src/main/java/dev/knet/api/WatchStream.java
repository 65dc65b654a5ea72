package dev.knet.api;

import com.sun.net.httpserver.HttpExchange;
import dev.knet.model.KnetJson;
import dev.knet.store.ApiException;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Watch;
import dev.knet.store.WatchEvent;
import dev.knet.store.WatchListener;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One watch request: a chunked stream of {"type":..., "object":...} lines, as the Kubernetes API
 * writes them. Ends at timeoutSeconds, when the client goes away, or with an ERROR event carrying a
 * Status (410 Expired when the requested resourceVersion is too old).
 */
final class WatchStream {

    private static final Object CLOSED = new Object();

    private final ApiStore store;
    private final HttpExchange exchange;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(10_000);

    WatchStream(ApiStore store, HttpExchange exchange) {
        this.store = store;
        this.exchange = exchange;
    }

    void run(RestPath p, Map<String, String> q) throws IOException {
        String rv = q.get("resourceVersion");
        Long from = rv == null || rv.isEmpty() || rv.equals("0") ? null : Long.parseLong(rv);
        long timeoutSeconds = q.containsKey("timeoutSeconds") ? Long.parseLong(q.get("timeoutSeconds")) : 1800;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (OutputStream out = exchange.getResponseBody();
             Watch watch = store.watch(anyKind(p), new ListOptions(p.namespace(), q.get("labelSelector"),
                     q.get("fieldSelector")), from, listener())) {
            // Headers go out now, so a client knows the watch is established before any event.
            out.flush();
            while (true) {
                long left = deadline - System.nanoTime();
                Object next = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (next == null || next == CLOSED) {
                    return;
                }
                write(out, next);
                out.flush();
                if (next instanceof Map<?, ?> m && "ERROR".equals(m.get("type"))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static dev.knet.model.ResourceKind<HasMetadata> anyKind(RestPath p) {
        return (dev.knet.model.ResourceKind<HasMetadata>) p.kind();
    }

    private WatchListener<HasMetadata> listener() {
        return new WatchListener<>() {
            @Override
            public void onEvent(WatchEvent<HasMetadata> event) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", event.type().name());
                line.put("object", event.object());
                offer(line);
            }

            @Override
            public void onClose(Throwable cause) {
                if (cause instanceof ApiException api) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("type", "ERROR");
                    line.put("object", StatusBody.failure(api));
                    offer(line);
                }
                offer(CLOSED);
            }
        };
    }

    /** A client that cannot keep up loses its watch (it relists), never the server's memory. */
    private void offer(Object item) {
        if (!queue.offer(item)) {
            queue.clear();
            queue.offer(CLOSED);
        }
    }

    private static void write(OutputStream out, Object line) throws IOException {
        out.write(KnetJson.toJson(line).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
