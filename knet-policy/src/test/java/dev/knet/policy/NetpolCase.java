package dev.knet.policy;

import dev.knet.model.KnetJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One conformance case from src/test/resources/conformance/netpol, read from the classpath. */
public record NetpolCase(String id, Map<String, Map<String, String>> namespaces, Map<String, Map<String, String>> pods,
                  List<Integer> ports, List<String> protocols, List<Map<String, Object>> steps) {

    static final String DIR = "conformance/netpol/";

    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 48; i++) {
            String prefix = String.format("netpol-e2e-%02d-", i);
            ids.add(listing().stream().filter(n -> n.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("missing case " + prefix)));
        }
        return ids;
    }

    private static List<String> listing() {
        try (InputStream in = NetpolCase.class.getClassLoader().getResourceAsStream(DIR)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(s -> s.replace(".yaml", "")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static NetpolCase load(String id) {
        String yaml;
        try (InputStream in = NetpolCase.class.getClassLoader().getResourceAsStream(DIR + id + ".yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> doc = KnetJson.serialization().unmarshal(yaml, Map.class);
        Map<String, Object> setup = (Map<String, Object>) doc.get("setup");
        Map<String, Object> servers = (Map<String, Object>) setup.get("servers");
        return new NetpolCase(id, new LinkedHashMap<>((Map<String, Map<String, String>>) setup.get("namespaces")),
                new LinkedHashMap<>((Map<String, Map<String, String>>) setup.get("pods")),
                ((List<Number>) servers.get("ports")).stream().map(Number::intValue).toList(),
                (List<String>) servers.get("protocols"), (List<Map<String, Object>>) doc.get("steps"));
    }
}
