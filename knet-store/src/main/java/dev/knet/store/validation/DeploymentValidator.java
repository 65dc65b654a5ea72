package dev.knet.store.validation;

import dev.knet.model.LabelSelectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Deployments (apps/v1): replicas, the required selector that must match the template, the template. */
public final class DeploymentValidator {

    public static final List<String> STRATEGIES = List.of("Recreate", "RollingUpdate");
    private static final FieldPath SPEC = FieldPath.of("spec");

    private DeploymentValidator() {
    }

    public static void validate(Deployment d, FieldErrors errs) {
        MetadataValidator.validate(d.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        DeploymentSpec spec = d.getSpec();
        if (spec == null) {
            errs.required(SPEC);
            return;
        }
        ContainerValidator.nonNegative(spec.getReplicas(), SPEC.child("replicas"), errs);
        LabelSelector selector = spec.getSelector();
        boolean selectorUsable = false;
        if (selector == null) {
            errs.required(SPEC.child("selector"));
        } else {
            int before = errs.size();
            SelectorValidator.validate(selector, SPEC.child("selector"), errs);
            if (LabelSelectors.isEmpty(selector)) {
                errs.invalid(SPEC.child("selector"), describe(selector), "empty selector is invalid for deployment");
            } else {
                selectorUsable = errs.size() == before;
            }
        }
        template(spec.getTemplate(), selector, selectorUsable, errs);
        strategy(spec.getStrategy(), errs);
        ContainerValidator.nonNegative(spec.getMinReadySeconds(), SPEC.child("minReadySeconds"), errs);
        ContainerValidator.nonNegative(spec.getRevisionHistoryLimit(), SPEC.child("revisionHistoryLimit"), errs);
    }

    /** apps/v1 made the selector immutable, since pods already owned would be orphaned. */
    public static void validateUpdate(Deployment d, Deployment old, FieldErrors errs) {
        LabelSelector now = d.getSpec() == null ? null : d.getSpec().getSelector();
        LabelSelector was = old.getSpec() == null ? null : old.getSpec().getSelector();
        if (was != null && !Objects.equals(now, was)) {
            errs.invalid(SPEC.child("selector"), describe(now), "field is immutable");
        }
    }

    private static void template(PodTemplateSpec template, LabelSelector selector, boolean selectorUsable,
                                 FieldErrors errs) {
        FieldPath path = SPEC.child("template");
        if (template == null) {
            errs.required(path);
            return;
        }
        Map<String, String> labels = template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels();
        if (selectorUsable && !LabelSelectors.matches(selector, labels)) {
            errs.invalid(path.child("metadata").child("labels"), FieldErrors.goMap(labels),
                    "`selector` does not match template `labels`");
        }
        if (template.getMetadata() != null) {
            MetadataValidator.validateLabels(template.getMetadata().getLabels(), path.child("metadata").child("labels"), errs);
            MetadataValidator.validateAnnotations(template.getMetadata().getAnnotations(),
                    path.child("metadata").child("annotations"), errs);
        }
        PodSpecValidator.validate(template.getSpec(), path.child("spec"), errs);
        String restart = template.getSpec() == null ? null : template.getSpec().getRestartPolicy();
        // A Deployment's pods are replaced, never left finished: only Always makes sense.
        if (restart != null && !restart.isEmpty() && !"Always".equals(restart)) {
            errs.notSupported(path.child("spec").child("restartPolicy"), restart, List.of("Always"));
        }
    }

    private static void strategy(DeploymentStrategy strategy, FieldErrors errs) {
        if (strategy == null || strategy.getType() == null) {
            return;
        }
        FieldPath path = SPEC.child("strategy");
        if (!STRATEGIES.contains(strategy.getType())) {
            errs.notSupported(path.child("type"), strategy.getType(), STRATEGIES);
        } else if ("Recreate".equals(strategy.getType()) && strategy.getRollingUpdate() != null) {
            errs.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
        }
    }

    /** A selector shown compactly in an error: its matchLabels and the number of expressions. */
    private static String describe(LabelSelector s) {
        if (s == null) {
            return "null";
        }
        int exprs = s.getMatchExpressions() == null ? 0 : s.getMatchExpressions().size();
        return "{matchLabels: " + FieldErrors.goMap(s.getMatchLabels()) + ", matchExpressions: " + exprs + "}";
    }
}
