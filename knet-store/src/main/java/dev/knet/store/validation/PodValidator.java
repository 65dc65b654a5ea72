package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.Pod;

/** Pods: metadata and spec. Status is the kubelet's (knet's agent) and not checked here. */
public final class PodValidator {

    private PodValidator() {
    }

    public static void validate(Pod pod, FieldErrors errs) {
        MetadataValidator.validate(pod.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        PodSpecValidator.validate(pod.getSpec(), FieldPath.of("spec"), errs);
    }
}
