package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;

import java.util.List;

/** Cluster-scoped infrastructure kinds: Nodes (their pod CIDRs) and Namespaces (label names). */
public final class NodeValidator {

    private NodeValidator() {
    }

    public static void validate(Node node, FieldErrors errs) {
        MetadataValidator.validate(node.getMetadata(), NameRule.DNS1123_SUBDOMAIN, false, errs);
        if (node.getSpec() == null) {
            return;
        }
        FieldPath spec = FieldPath.of("spec");
        String podCIDR = node.getSpec().getPodCIDR();
        if (podCIDR != null && !podCIDR.isEmpty() && !Names.isCidr(podCIDR)) {
            errs.invalid(spec.child("podCIDR"), podCIDR, Names.CIDR_MSG);
        }
        List<String> cidrs = node.getSpec().getPodCIDRs() == null ? List.of() : node.getSpec().getPodCIDRs();
        for (int i = 0; i < cidrs.size(); i++) {
            if (!Names.isCidr(cidrs.get(i))) {
                errs.invalid(spec.child("podCIDRs").index(i), cidrs.get(i), Names.CIDR_MSG);
            }
        }
        if (!cidrs.isEmpty() && podCIDR != null && !podCIDR.isEmpty() && !cidrs.getFirst().equals(podCIDR)) {
            errs.invalid(spec.child("podCIDRs"), FieldErrors.goList(cidrs), "first value must match `podCIDR`");
        }
    }

    public static void validate(Namespace namespace, FieldErrors errs) {
        MetadataValidator.validate(namespace.getMetadata(), NameRule.DNS1123_LABEL, false, errs);
    }
}
