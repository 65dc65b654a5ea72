package dev.knet.dataplane;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code ip -json} output: always an array of objects (empty output means none). */
public final class IpJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private IpJson() {
    }

    public static List<JsonNode> array(String stdout) {
        if (stdout.isBlank()) {
            return List.of();
        }
        try {
            JsonNode root = MAPPER.readTree(stdout);
            List<JsonNode> items = new ArrayList<>();
            root.forEach(items::add);
            return items;
        } catch (JacksonException e) {
            throw new DataplaneException(DataplaneException.Kind.OTHER, "unparseable ip -json output: " + e.getMessage(),
                    List.of(), 0, stdout, e);
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
