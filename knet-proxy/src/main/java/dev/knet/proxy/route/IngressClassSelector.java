package dev.knet.proxy.route;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which Ingresses this controller serves. An Ingress naming a class (spec.ingressClassName,
 * or the legacy kubernetes.io/ingress.class annotation) is served when that IngressClass has our
 * controller. An Ingress naming none is served when the cluster's default IngressClass is ours, or
 * when no IngressClass is marked default at all (so plain manifests work without an IngressClass).
 */
public final class IngressClassSelector {

    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    public static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final Set<String> ourClasses;
    private final boolean servesUnclassed;

    public IngressClassSelector(String controller, List<IngressClass> classes) {
        this.ourClasses = classes.stream()
                .filter(c -> c.getSpec() != null && controller.equals(c.getSpec().getController()))
                .map(c -> c.getMetadata().getName())
                .collect(Collectors.toUnmodifiableSet());
        List<IngressClass> defaults = classes.stream().filter(IngressClassSelector::isDefault).toList();
        this.servesUnclassed = defaults.isEmpty()
                || defaults.stream().anyMatch(c -> ourClasses.contains(c.getMetadata().getName()));
    }

    public boolean serves(Ingress ingress) {
        String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (className == null) {
            Map<String, String> annotations = ingress.getMetadata().getAnnotations();
            className = annotations == null ? null : annotations.get(LEGACY_CLASS_ANNOTATION);
        }
        return className == null ? servesUnclassed : ourClasses.contains(className);
    }

    private static boolean isDefault(IngressClass c) {
        Map<String, String> annotations = c.getMetadata().getAnnotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(DEFAULT_CLASS_ANNOTATION));
    }
}
