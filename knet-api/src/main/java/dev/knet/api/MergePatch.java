package dev.knet.api;

import java.util.Map;

/** JSON merge patch (RFC 7386): objects merge key by key, null removes, anything else replaces. */
final class MergePatch {

    private MergePatch() {
    }

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> target, Map<String, Object> patch) {
        for (var e : patch.entrySet()) {
            Object value = e.getValue();
            if (value == null) {
                target.remove(e.getKey());
            } else if (value instanceof Map<?, ?> m && target.get(e.getKey()) instanceof Map<?, ?> t) {
                apply((Map<String, Object>) t, (Map<String, Object>) m);
            } else {
                target.put(e.getKey(), value);
            }
        }
    }
}
