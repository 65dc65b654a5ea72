package dev.knet.cni.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON mapper for the CNI wire format: absent fields are left out (the spec's examples and
 * libcni do the same) and unknown fields are ignored, since plugins carry arbitrary extras.
 */
public final class CniJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY))
            .build();

    private CniJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Parses untrusted input; a syntax or shape error becomes CNI error 6 (failed to decode content). */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw new CniException(CniError.of(CniError.DECODE, "cannot decode " + type.getSimpleName(),
                    e.getOriginalMessage()), e);
        }
    }

    public static ObjectNode readObject(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new CniException(CniError.of(CniError.DECODE, "cannot decode JSON", e.getOriginalMessage()), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new CniException(CniError.of(CniError.DECODE, "expected a JSON object", String.valueOf(node)));
        }
        return object;
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JacksonException e) {
            throw new CniException(CniError.of(CniError.DECODE, "cannot decode " + type.getSimpleName(),
                    e.getOriginalMessage()), e);
        }
    }

    public static ObjectNode toObject(Object value) {
        return MAPPER.valueToTree(value);
    }
}
