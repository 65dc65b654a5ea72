package dev.knet.api;

import com.sun.net.httpserver.HttpExchange;
import dev.knet.model.KnetJson;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKind;
import dev.knet.store.ApiException;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.ObjectList;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps REST verbs on resource paths to store operations. */
final class ResourceHandler {

    static final String APPLY_PATH = "/apis/knet.dev/v1/apply";
    static final String SETTLE_PATH = "/apis/knet.dev/v1/settle";
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final ApiStore store;
    private final ControlPlaneHooks hooks;

    ResourceHandler(ApiStore store, ControlPlaneHooks hooks) {
        this.store = store;
        this.hooks = hooks;
    }

    void handle(HttpExchange ex, String path, Map<String, String> query) throws IOException {
        String method = ex.getRequestMethod();
        if ("websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Upgrade"))) {
            // Watches are served as HTTP streams only; 503 makes clients (fabric8) fall back to those.
            ApiServer.send(ex, 503, KnetJson.toJson(StatusBody.failure(503, "ServiceUnavailable",
                    "websocket watches are not served; watch over an HTTP stream")));
            return;
        }
        if (path.equals(APPLY_PATH) && method.equals("POST")) {
            apply(ex);
            return;
        }
        if (path.equals(SETTLE_PATH)) {
            hooks.awaitIdle(SETTLE);
            ApiServer.send(ex, 200, KnetJson.toJson(StatusBody.success()));
            return;
        }
        if (path.equals("/version")) {
            ApiServer.send(ex, 200, "{\"major\":\"1\",\"minor\":\"34\",\"gitVersion\":\"v1.34.0-knet\"}");
            return;
        }
        RestPath p = RestPath.parse(path);
        switch (method) {
            case "GET" -> {
                if (p.isCollection() && ("true".equals(query.get("watch")) || "1".equals(query.get("watch")))) {
                    new WatchStream(store, ex).run(p, query);
                } else if (p.isCollection()) {
                    list(ex, p, query);
                } else {
                    HasMetadata o = store.get(p.kind(), p.namespace(), p.name())
                            .orElseThrow(() -> notFound(p));
                    ApiServer.send(ex, 200, KnetJson.toJson(o));
                }
            }
            case "POST" -> {
                HasMetadata o = body(ex, p);
                ApiServer.send(ex, 201, KnetJson.toJson(store.create(o)));
            }
            case "PUT" -> {
                HasMetadata o = body(ex, p);
                HasMetadata stored = "status".equals(p.subresource()) ? store.updateStatus(o) : store.update(o);
                ApiServer.send(ex, 200, KnetJson.toJson(stored));
            }
            case "PATCH" -> {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null && type.startsWith("application/json-patch+json")) {
                    ApiServer.send(ex, 415, KnetJson.toJson(StatusBody.failure(415, "UnsupportedMediaType",
                            "JSON Patch is not served; send a merge patch (application/merge-patch+json)")));
                } else {
                    patch(ex, p);
                }
            }
            case "DELETE" -> {
                HasMetadata before = store.get(p.kind(), p.namespace(), p.name()).orElseThrow(() -> notFound(p));
                Mutation.Grace grace = DeleteOptionsBody.grace(query, ex.getRequestBody().readAllBytes());
                HasMetadata after = store.commit(List.of(new Mutation.Delete(p.kind(), p.namespace(), p.name(), grace)))
                        .getFirst();
                ApiServer.send(ex, 200, KnetJson.toJson(after != null ? after : before));
            }
            default -> ApiServer.send(ex, 405, KnetJson.toJson(
                    StatusBody.failure(405, "MethodNotAllowed", method + " is not allowed")));
        }
    }

    private void list(HttpExchange ex, RestPath p, Map<String, String> q) throws IOException {
        ObjectList<? extends HasMetadata> list = store.list(p.kind(),
                new ListOptions(p.namespace(), q.get("labelSelector"), q.get("fieldSelector")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", p.kind().apiVersion());
        body.put("kind", p.kind().kind() + "List");
        body.put("metadata", Map.of("resourceVersion", Long.toString(list.resourceVersion())));
        body.put("items", list.items());
        ApiServer.send(ex, 200, KnetJson.toJson(body));
    }

    /** JSON merge patch (RFC 7386); strategic merge patches are treated as merge patches. */
    @SuppressWarnings("unchecked")
    private void patch(HttpExchange ex, RestPath p) throws IOException {
        HasMetadata current = store.get(p.kind(), p.namespace(), p.name()).orElseThrow(() -> notFound(p));
        String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, Object> patch = KnetJson.fromJson(text, Map.class);
        Map<String, Object> target = KnetJson.serialization().convertValue(current, Map.class);
        MergePatch.apply(target, patch);
        HasMetadata next = KnetJson.serialization().convertValue(target, current.getClass());
        HasMetadata stored = "status".equals(p.subresource()) ? store.updateStatus(next) : store.update(next);
        ApiServer.send(ex, 200, KnetJson.toJson(stored));
    }

    /** Atomic multi-object apply: a List body, all or nothing; answers once the control plane settled. */
    private void apply(HttpExchange ex) throws IOException {
        String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<HasMetadata> objects = Manifests.parse(text, "request body");
        List<Mutation> mutations = new ArrayList<>();
        for (HasMetadata o : objects) {
            mutations.add(new Mutation.Apply(o));
        }
        List<HasMetadata> stored = mutations.isEmpty() ? List.of() : store.commit(mutations);
        hooks.awaitIdle(SETTLE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "List");
        body.put("items", stored);
        ApiServer.send(ex, 200, KnetJson.toJson(body));
    }

    private static HasMetadata body(HttpExchange ex, RestPath p) throws IOException {
        String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<HasMetadata> objects = Manifests.parse(text, "request body");
        if (objects.size() != 1) {
            throw new ApiException.BadRequest("the request body must hold exactly one object");
        }
        HasMetadata o = objects.getFirst();
        ResourceKind<?> kind = p.kind();
        if (!kind.kind().equals(o.getKind())) {
            throw new ApiException.BadRequest("the body is a " + o.getKind() + ", the path names " + kind.plural());
        }
        if (kind.namespaced() && p.namespace() != null) {
            if (o.getMetadata().getNamespace() == null) {
                o.getMetadata().setNamespace(p.namespace());
            } else if (!o.getMetadata().getNamespace().equals(p.namespace())) {
                throw new ApiException.BadRequest("the namespace of the provided object does not match the"
                        + " namespace sent on the request");
            }
        }
        return o;
    }

    private static ApiException notFound(RestPath p) {
        return new ApiException.NotFound(new dev.knet.model.ObjectKey(p.kind().kind(),
                p.namespace() == null ? "" : p.namespace(), p.name()));
    }
}
