package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** metadata: name, generateName, namespace, labels and annotations, as Kubernetes' ValidateObjectMeta. */
public final class MetadataValidator {

    /** Kubernetes' limit on the total size of an object's annotations. */
    public static final int TOTAL_ANNOTATION_SIZE = 256 * 1024;

    private MetadataValidator() {
    }

    /**
     * @param namespaced whether the kind lives in a namespace; an empty namespace is accepted because
     *                   the store (or the CLI's current namespace) fills it in
     */
    public static void validate(ObjectMeta meta, NameRule rule, boolean namespaced, FieldErrors errs) {
        FieldPath path = FieldPath.of("metadata");
        if (meta == null) {
            errs.required(path.child("name"), "name or generateName is required");
            return;
        }
        String generateName = meta.getGenerateName();
        if (generateName != null && !generateName.isEmpty()) {
            errs.invalidEach(path.child("generateName"), generateName, rule.check(generateName, true));
        }
        String name = meta.getName();
        if (name == null || name.isEmpty()) {
            errs.required(path.child("name"), "name or generateName is required");
        } else {
            errs.invalidEach(path.child("name"), name, rule.check(name, false));
        }
        String ns = meta.getNamespace();
        if (ns != null && !ns.isEmpty()) {
            if (namespaced) {
                errs.invalidEach(path.child("namespace"), ns, Names.dns1123Label(ns));
            } else {
                errs.forbidden(path.child("namespace"), "not allowed on this type");
            }
        }
        if (meta.getGeneration() != null && meta.getGeneration() < 0) {
            errs.invalid(path.child("generation"), meta.getGeneration(), Names.NEGATIVE_MSG);
        }
        validateLabels(meta.getLabels(), path.child("labels"), errs);
        validateAnnotations(meta.getAnnotations(), path.child("annotations"), errs);
        var finalizers = meta.getFinalizers();
        if (finalizers != null) {
            for (String f : finalizers) {
                errs.invalidEach(path.child("finalizers"), f, Names.qualifiedName(f));
            }
        }
    }

    /** Labels report at the map's path, not the key's, as Kubernetes does. */
    public static void validateLabels(Map<String, String> labels, FieldPath path, FieldErrors errs) {
        if (labels == null) {
            return;
        }
        for (var e : labels.entrySet()) {
            errs.invalidEach(path, e.getKey(), Names.qualifiedName(e.getKey()));
            String value = e.getValue() == null ? "" : e.getValue();
            errs.invalidEach(path, value, Names.labelValue(value));
        }
    }

    /** Annotation keys are qualified names compared case-insensitively; values are free text but bounded. */
    public static void validateAnnotations(Map<String, String> annotations, FieldPath path, FieldErrors errs) {
        if (annotations == null) {
            return;
        }
        long total = 0;
        for (var e : annotations.entrySet()) {
            errs.invalidEach(path, e.getKey(), Names.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length;
            total += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > TOTAL_ANNOTATION_SIZE) {
            errs.tooLong(path, TOTAL_ANNOTATION_SIZE);
        }
    }
}
