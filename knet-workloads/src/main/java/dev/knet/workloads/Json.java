package dev.knet.workloads;

import dev.knet.model.KnetJson;

import java.util.Map;

/** JSON for workload bodies, through the project's one mapper. */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        return KnetJson.serialization().asJson(value);
    }

    /** A JSON object as a map; throws IllegalArgumentException when the text is not a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text) {
        try {
            Object parsed = KnetJson.serialization().unmarshal(text, Map.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(text), e);
        }
        throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
