package dev.knet.cli.cluster;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.Objects;

/** Decides whether applying an object changes the stored one (kubectl's "unchanged"). */
final class ApplyPlan {

    private ApplyPlan() {
    }

    /** True when the manifest's labels, annotations and spec-like fields equal the stored object's. */
    static boolean unchanged(HasMetadata manifest, HasMetadata stored) {
        if (stored == null) {
            return false;
        }
        return subset(comparable(manifest), comparable(stored));
    }

    /**
     * Whether every field the manifest sets has that value in the stored object; fields the store
     * defaulted or allocated (protocol, clusterIP) do not count as differences.
     */
    private static boolean subset(Object want, Object have) {
        if (want instanceof Map<?, ?> w) {
            if (!(have instanceof Map<?, ?> h)) {
                return w.isEmpty() && have == null;
            }
            for (var e : w.entrySet()) {
                if (!subset(e.getValue(), h.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (want instanceof java.util.List<?> w) {
            if (!(have instanceof java.util.List<?> h)) {
                return w.isEmpty() && have == null;
            }
            if (w.size() != h.size()) {
                return false;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!subset(w.get(i), h.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return want == null || Objects.equals(String.valueOf(want), String.valueOf(have));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(HasMetadata object) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(
                KnetJson.serialization().convertValue(object, Map.class));
        Map<String, Object> meta = (Map<String, Object>) m.remove("metadata");
        m.remove("status");
        if (meta != null) {
            m.put("labels", meta.get("labels"));
            m.put("annotations", meta.get("annotations"));
        }
        return m;
    }
}
