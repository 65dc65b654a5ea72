package dev.knet.control.workload;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod-template-hash: FNV-1a (32 bit) over a canonical JSON form of the template (map keys
 * sorted, so the order labels were written in does not matter), rendered in the consonant-and-digit
 * alphabet Kubernetes uses so a hash never spells a word.
 */
public final class TemplateHash {

    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private TemplateHash() {
    }

    public static String of(PodTemplateSpec template) {
        // Straight to maps and lists (no JSON text in between), then written with sorted keys.
        Object tree = KnetJson.serialization().convertValue(template, Map.class);
        StringBuilder canonical = new StringBuilder();
        write(tree, canonical);
        int hash = 0x811c9dc5;
        for (byte b : canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return encode(Integer.toUnsignedLong(hash));
    }

    private static String encode(long value) {
        StringBuilder sb = new StringBuilder();
        long v = value;
        do {
            sb.append(ALPHABET.charAt((int) (v % ALPHABET.length())));
            v /= ALPHABET.length();
        } while (v > 0);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(Object node, StringBuilder out) {
        switch (node) {
            case null -> out.append("null");
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (var e : new TreeMap<>((Map<String, Object>) m).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append('"').append(e.getKey()).append("\":");
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(l.get(i), out);
                }
                out.append(']');
            }
            case String s -> out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            default -> out.append(node);
        }
    }
}
