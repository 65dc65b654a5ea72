package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/** Label selectors (matchLabels and matchExpressions) and equality selectors, as Kubernetes validates them. */
public final class SelectorValidator {

    private SelectorValidator() {
    }

    public static void validate(LabelSelector selector, FieldPath path, FieldErrors errs) {
        if (selector == null) {
            return;
        }
        MetadataValidator.validateLabels(selector.getMatchLabels(), path.child("matchLabels"), errs);
        List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
        if (exprs == null) {
            return;
        }
        for (int i = 0; i < exprs.size(); i++) {
            requirement(exprs.get(i), path.child("matchExpressions").index(i), errs);
        }
    }

    /** A map selector (Service.spec.selector, nodeSelector): keys and values follow label syntax. */
    public static void validateMap(Map<String, String> selector, FieldPath path, FieldErrors errs) {
        MetadataValidator.validateLabels(selector, path, errs);
    }

    private static void requirement(LabelSelectorRequirement r, FieldPath path, FieldErrors errs) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String op = r.getOperator() == null ? "" : r.getOperator();
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    errs.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    errs.forbidden(path.child("values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            default -> errs.invalid(path.child("operator"), op, "not a valid selector operator");
        }
        String key = r.getKey() == null ? "" : r.getKey();
        errs.invalidEach(path.child("key"), key, Names.qualifiedName(key));
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i);
            errs.invalidEach(path.child("values").index(i), v, Names.labelValue(v));
        }
    }
}
