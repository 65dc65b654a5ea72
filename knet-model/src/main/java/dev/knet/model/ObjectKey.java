package dev.knet.model;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Kind, namespace (empty for cluster-scoped objects) and name: what identifies one object. */
public record ObjectKey(String kind, String namespace, String name) {

    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** "Pod default/web-1" or "Node node-1", the way error messages name an object. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? kind + " " + name : kind + " " + namespace + "/" + name;
    }
}
