package dev.knet.control.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue and cache keys: "namespace/name", or "name" for cluster-scoped objects. */
public final class Keys {

    private Keys() {
    }

    public static String of(HasMetadata object) {
        return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
