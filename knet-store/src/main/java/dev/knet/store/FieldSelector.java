package dev.knet.store;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed field selector ("spec.nodeName=node-1,status.phase!=Failed"): terms of a dotted field
 * path, = / == / != and a value, all of which must hold. Common pod fields are read directly;
 * any other path is read from the object's JSON form.
 */
public record FieldSelector(List<Term> terms) {

    public record Term(String path, boolean equal, String value) {
    }

    public static FieldSelector parse(String text) {
        List<Term> terms = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new FieldSelector(terms);
        }
        for (String raw : text.split(",")) {
            String t = raw.trim();
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (ne > 0) {
                terms.add(new Term(t.substring(0, ne).trim(), false, t.substring(ne + 2).trim()));
            } else if (eq > 0) {
                String value = t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
                terms.add(new Term(t.substring(0, eq).trim(), true, value));
            } else {
                throw new ApiException.BadRequest("invalid field selector \"" + text + "\": term \"" + t
                        + "\" needs =, == or !=");
            }
        }
        return new FieldSelector(terms);
    }

    public boolean matches(HasMetadata object) {
        for (Term term : terms) {
            String actual = read(object, term.path());
            boolean same = Objects.equals(actual == null ? "" : actual, term.value());
            if (same != term.equal()) {
                return false;
            }
        }
        return true;
    }

    private static String read(HasMetadata object, String path) {
        switch (path) {
            case "metadata.name":
                return object.getMetadata().getName();
            case "metadata.namespace":
                return object.getMetadata().getNamespace();
            default:
                break;
        }
        if (object instanceof Pod pod) {
            switch (path) {
                case "spec.nodeName":
                    return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
                case "status.phase":
                    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
                case "status.podIP":
                    return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
                default:
                    break;
            }
        }
        Object node = KnetJson.serialization().convertValue(object, Map.class);
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node == null ? null : String.valueOf(node);
    }
}
