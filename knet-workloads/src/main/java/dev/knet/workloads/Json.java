package dev.knet.workloads;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * JSON for workload bodies. A plain mapper rather than the API-object serialization: these bodies
 * are small maps, and that one's start-up (it indexes every Kubernetes kind) would stall the first
 * request past the callers' timeouts.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A JSON object as a map; throws IllegalArgumentException when the text is not a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text) {
        try {
            Object parsed = MAPPER.readValue(text, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(text), e);
        }
        throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
