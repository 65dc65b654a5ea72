package dev.knet.store.validation;

import dev.knet.model.KnetJson;
import dev.knet.model.ResourceKinds;
import dev.knet.store.FieldError;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.List;

/**
 * Validation without a store, for the CLI's --dry-run and offline tools, and the checks the
 * {@link ValidationPlugin} runs inside the store.
 *
 * <p>{@link #validate} behaves as the API does with a manifest: it defaults a copy first, so a
 * Service without {@code type} or a container without {@code protocol} is fine. {@link #check} looks at
 * the object exactly as given, which is what admission needs after {@link DefaultingPlugin} ran.
 */
public final class Validation {

    private Validation() {
    }

    /** The errors of a manifest as the API would report them on create (defaults applied to a copy). */
    public static List<FieldError> validate(HasMetadata object) {
        HasMetadata copy = KnetJson.copy(object);
        Defaults.apply(copy);
        return check(copy, null);
    }

    /** The errors of an object taken as it is; with {@code old} also the rules of an update. */
    public static List<FieldError> check(HasMetadata object, HasMetadata old) {
        FieldErrors errs = new FieldErrors();
        switch (object) {
            case Service s -> {
                ServiceValidator.validate(s, errs);
                if (old instanceof Service o) {
                    ServiceValidator.validateUpdate(s, o, errs);
                }
            }
            case Pod p -> PodValidator.validate(p, errs);
            case Deployment d -> {
                DeploymentValidator.validate(d, errs);
                if (old instanceof Deployment o) {
                    DeploymentValidator.validateUpdate(d, o, errs);
                }
            }
            case NetworkPolicy np -> NetworkPolicyValidator.validate(np, errs);
            case Ingress i -> IngressValidator.validate(i, errs);
            case EndpointSlice es -> EndpointSliceValidator.validate(es, errs);
            case ConfigMap cm -> ConfigValidator.validate(cm, errs);
            case Secret s -> ConfigValidator.validate(s, errs);
            case Node n -> NodeValidator.validate(n, errs);
            case Namespace n -> NodeValidator.validate(n, errs);
            default -> {
                // Kinds without rules of their own here (IngressClass, Gateway API, ClusterNetworkPolicy):
                // their metadata still follows the common rules.
                boolean namespaced = ResourceKinds.of(object).map(k -> k.namespaced()).orElse(true);
                MetadataValidator.validate(object.getMetadata(), NameRule.DNS1123_SUBDOMAIN, namespaced, errs);
            }
        }
        return errs.list();
    }
}
