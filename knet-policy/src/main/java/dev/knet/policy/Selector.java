package dev.knet.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A label selector in canonical form, so equal selectors written differently share one match
 * atom (matchLabels sorted; requirement values sorted). Same semantics as Kubernetes: every
 * matchLabel AND every expression; the empty selector matches everything.
 */
public record Selector(Map<String, String> matchLabels, List<Requirement> requirements) {

    public static final Selector ALL = new Selector(Map.of(), List.of());

    public record Requirement(String key, String operator, List<String> values) {
    }

    public Selector {
        matchLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(matchLabels));
        requirements = List.copyOf(requirements);
    }

    /** A null selector here means "all": callers pass null only where the API says absent = all. */
    public static Selector of(LabelSelector selector) {
        if (selector == null) {
            return ALL;
        }
        Map<String, String> labels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        List<Requirement> requirements = new ArrayList<>();
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String op = Objects.requireNonNullElse(r.getOperator(), "");
                if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
                    throw new PolicyException("unknown selector operator \"" + op + "\" for key " + r.getKey());
                }
                List<String> values = r.getValues() == null ? List.of() : List.copyOf(new TreeSet<>(r.getValues()));
                requirements.add(new Requirement(r.getKey(), op, values));
            }
        }
        requirements.sort(Comparator.comparing(Requirement::key).thenComparing(Requirement::operator)
                .thenComparing(r -> r.values().toString()));
        return new Selector(labels, requirements);
    }

    public boolean isAll() {
        return matchLabels.isEmpty() && requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (var e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : requirements) {
            String value = labels.get(r.key());
            boolean ok = switch (r.operator()) {
                case "In" -> value != null && r.values().contains(value);
                case "NotIn" -> value == null || !r.values().contains(value);
                case "Exists" -> value != null;
                default -> value == null;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The kubectl string form ("app=web,tier in (a,b)"); "{}" for the empty selector. */
    @Override
    public String toString() {
        if (isAll()) {
            return "{}";
        }
        List<String> terms = new ArrayList<>();
        matchLabels.forEach((k, v) -> terms.add(k + "=" + v));
        for (Requirement r : requirements) {
            terms.add(switch (r.operator()) {
                case "In" -> r.key() + " in (" + String.join(",", r.values()) + ")";
                case "NotIn" -> r.key() + " notin (" + String.join(",", r.values()) + ")";
                case "Exists" -> r.key();
                default -> "!" + r.key();
            });
        }
        return String.join(",", terms);
    }
}
