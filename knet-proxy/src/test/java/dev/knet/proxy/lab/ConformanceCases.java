package dev.knet.proxy.lab;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** conformance/ingress/cases.yaml from the classpath, and the Services its cases name. */
final class ConformanceCases {

    private ConformanceCases() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load() throws IOException {
        try (InputStream in = ConformanceCases.class.getResourceAsStream("/conformance/ingress/cases.yaml")) {
            Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            return (List<Map<String, Object>>) file.get("cases");
        }
    }

    /** Every Service name a case's Ingress routes to, with the most replicas any case asks for (1 by default). */
    @SuppressWarnings("unchecked")
    static Map<String, Integer> services() throws IOException {
        Map<String, Integer> services = new TreeMap<>();
        for (Map<String, Object> c : load()) {
            Map<String, Object> objects = (Map<String, Object>) c.get("objects");
            collect(objects.get("ingress"), services);
            if (objects.get("backend_replicas") instanceof Map<?, ?> replicas) {
                replicas.forEach((name, count) -> services.merge((String) name, (Integer) count, Math::max));
            }
        }
        return services;
    }

    /** Walks the Ingress YAML for every service: {name: ...}. */
    private static void collect(Object node, Map<String, Integer> services) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("service") instanceof Map<?, ?> service && service.get("name") instanceof String name) {
                services.putIfAbsent(name, 1);
            }
            map.values().forEach(v -> collect(v, services));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, services));
        }
    }
}
