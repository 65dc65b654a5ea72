package dev.knet.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Label selector semantics as Kubernetes defines them: matchLabels AND every matchExpression;
 * an empty selector matches everything, a null one nothing (callers decide which applies).
 * Also parses the string form used by `-l` and `labelSelector=` (a=b,c!=d,e in (x,y),!f,g).
 */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An equality selector (Service.spec.selector, nodeSelector): every pair must be present. */
    public static boolean matchesAll(Map<String, String> required, Map<String, String> labels) {
        if (required == null || required.isEmpty()) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        return required.entrySet().stream().allMatch(e -> Objects.equals(l.get(e.getKey()), e.getValue()));
    }

    public static boolean isEmpty(LabelSelector selector) {
        return selector != null
                && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
        };
    }

    /**
     * Parses the string form. Throws IllegalArgumentException with the offending term on bad syntax;
     * label keys and values are checked by the store's validation, not here.
     */
    public static LabelSelector parse(String text) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(new java.util.LinkedHashMap<>());
        selector.setMatchExpressions(new ArrayList<>());
        if (text == null || text.isBlank()) {
            return selector;
        }
        for (String term : splitTerms(text)) {
            String t = term.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty term in selector \"" + text + "\"");
            }
            java.util.regex.Matcher set = java.util.regex.Pattern
                    .compile("^([^\\s!=()]+)\\s+(in|notin)\\s*\\(([^)]*)\\)$").matcher(t);
            if (set.matches()) {
                List<String> vals = new ArrayList<>();
                for (String v : set.group(3).split(",")) {
                    vals.add(v.trim());
                }
                selector.getMatchExpressions().add(new LabelSelectorRequirement(
                        set.group(1), set.group(2).equals("in") ? "In" : "NotIn", vals));
            } else if (t.startsWith("!")) {
                String key = t.substring(1).trim();
                requireKey(key, text);
                selector.getMatchExpressions().add(new LabelSelectorRequirement(key, "DoesNotExist", List.of()));
            } else if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                requireKey(kv[0].trim(), text);
                selector.getMatchExpressions().add(
                        new LabelSelectorRequirement(kv[0].trim(), "NotIn", List.of(kv[1].trim())));
            } else if (t.contains("==") || t.contains("=")) {
                String[] kv = t.contains("==") ? t.split("==", 2) : t.split("=", 2);
                requireKey(kv[0].trim(), text);
                selector.getMatchLabels().put(kv[0].trim(), kv[1].trim());
            } else {
                requireKey(t, text);
                selector.getMatchExpressions().add(new LabelSelectorRequirement(t, "Exists", List.of()));
            }
        }
        return selector;
    }

    private static void requireKey(String key, String text) {
        if (key.isEmpty() || key.contains(" ") || key.contains("(") || key.contains(")")) {
            throw new IllegalArgumentException("invalid selector \"" + text + "\": bad key \"" + key + "\"");
        }
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTerms(String text) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                terms.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        terms.add(cur.toString());
        return terms;
    }
}
