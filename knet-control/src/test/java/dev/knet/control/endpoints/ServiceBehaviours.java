package dev.knet.control.endpoints;

import dev.knet.model.KnetJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The Service behaviours restated from the Kubernetes e2e suite (conformance/services/behaviours.yaml). */
final class ServiceBehaviours {

    private static final Map<String, Object> ROOT = load();

    private ServiceBehaviours() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (InputStream in = ServiceBehaviours.class.getResourceAsStream("/conformance/services/behaviours.yaml")) {
            return KnetJson.serialization().unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> byId(String id) {
        for (Object o : (List<Object>) ROOT.get("behaviours")) {
            Map<String, Object> b = (Map<String, Object>) o;
            if (id.equals(b.get("id"))) {
                return b;
            }
        }
        throw new IllegalArgumentException("no behaviour " + id);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String p : path) {
            if (!(cur.get(p) instanceof Map<?, ?> next)) {
                return Map.of();
            }
            cur = (Map<String, Object>) next;
        }
        return cur;
    }
}
