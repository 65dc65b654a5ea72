package dev.knet.agent.services;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health-check node ports of Services with externalTrafficPolicy Local (kube-proxy's healthcheck server):
 * one HTTP listener per {@code spec.healthCheckNodePort}, answering any path with 200 while this node has a
 * ready endpoint of the service and 503 otherwise (terminating endpoints still carry traffic, but the node
 * asks load balancers to drain it). The body is kube-proxy's JSON. A port that cannot be bound is logged and
 * retried on the next change.
 */
public final class HealthCheckServer extends MirroredSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheckServer.class);

    /** What one port reports: the service it checks and its ready local endpoints. */
    record Health(ServiceKey service, int localEndpoints) {
        int status() {
            return localEndpoints > 0 ? 200 : 503;
        }

        String json() {
            return "{\"service\":{\"namespace\":\"" + service.namespace() + "\",\"name\":\"" + service.name()
                    + "\"},\"localEndpoints\":" + localEndpoints + ",\"serviceProxyHealthy\":true}";
        }
    }

    private final Optional<String> netns;
    private final ExecutorService executor = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().name("knet-healthcheck").daemon().factory());
    private final Map<Integer, NodeHttpListener> listeners = new HashMap<>();
    private volatile Map<Integer, Health> health = Map.of();

    /** Serves inside {@code netns} (a lab node), or where the process runs when empty. */
    public HealthCheckServer(Optional<String> netns) {
        this.netns = netns;
    }

    /** The port → health table a snapshot implies (pure; tests use it). */
    static Map<Integer, Health> desired(ServiceMirror.View view) {
        Map<Integer, Health> out = new HashMap<>();
        for (ServiceInfo s : view.services().values()) {
            if (s.healthCheckNodePort() <= 0 || s.externalTrafficPolicy() != ServiceInfo.TrafficPolicy.LOCAL
                    || s.type() == ServiceInfo.Type.CLUSTER_IP || s.isHeadless()) {
                continue;
            }
            List<EndpointInfo> eps = view.endpointsOf(s.key());
            int local = (int) eps.stream().filter(e -> e.isLocal() && e.conditions().ready()).count();
            out.put(s.healthCheckNodePort(), new Health(s.key(), local));
        }
        return out;
    }

    /** The ports currently listened on. */
    public synchronized List<Integer> ports() {
        return List.copyOf(listeners.keySet());
    }

    @Override
    synchronized void reconcile(ServiceMirror.View view) {
        Map<Integer, Health> want = desired(view);
        health = Map.copyOf(want);
        listeners.entrySet().removeIf(e -> {
            if (!want.containsKey(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        for (int port : want.keySet()) {
            if (!listeners.containsKey(port)) {
                try {
                    listeners.put(port, NodeHttpListener.start(netns, new InetSocketAddress(port), ex -> answer(port, ex), executor));
                } catch (RuntimeException e) {
                    LOG.warn("health check node port {} for {} not served", port, want.get(port).service(), e);
                }
            }
        }
    }

    private void answer(int port, HttpExchange exchange) throws IOException {
        try (exchange) {
            Health h = health.get(port);
            byte[] body = (h == null ? "{}" : h.json()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(h == null ? 503 : h.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        listeners.values().forEach(NodeHttpListener::close);
        listeners.clear();
        executor.shutdownNow();
    }
}
