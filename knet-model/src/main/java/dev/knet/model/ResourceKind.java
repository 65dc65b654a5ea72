package dev.knet.model;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Objects;

/**
 * One kind of API object: where it lives in the REST space (group, version, plural) and the
 * fabric8 class that holds it. Kinds that fabric8 does not model (ClusterNetworkPolicy) use
 * {@link io.fabric8.kubernetes.api.model.GenericKubernetesResource}.
 */
public record ResourceKind<T extends HasMetadata>(
        String group, String version, String kind, String plural, Scope scope, Class<T> type) {

    /** Whether objects of a kind live in a namespace or in the cluster. */
    public enum Scope { NAMESPACED, CLUSTER }

    public ResourceKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
    }

    public boolean namespaced() {
        return scope == Scope.NAMESPACED;
    }

    /** "v1" for the core group, "apps/v1" otherwise: the apiVersion field of an object. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The REST path prefix: /api/v1 or /apis/GROUP/VERSION. */
    public String apiPath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** The collection path, for a namespace (null for all namespaces or cluster scope). */
    public String collectionPath(String namespace) {
        if (namespaced() && namespace != null) {
            return apiPath() + "/namespaces/" + namespace + "/" + plural;
        }
        return apiPath() + "/" + plural;
    }

    @Override
    public String toString() {
        return kind;
    }
}
