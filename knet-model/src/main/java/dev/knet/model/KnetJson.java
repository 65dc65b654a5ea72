package dev.knet.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The one JSON/YAML mapper for API objects: fabric8's serialization, which knows every kind's
 * class from apiVersion and kind and falls back to GenericKubernetesResource.
 */
public final class KnetJson {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KnetJson() {
    }

    public static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }

    public static String toJson(Object object) {
        return SERIALIZATION.asJson(object);
    }

    public static String toYaml(Object object) {
        return SERIALIZATION.asYaml(object);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return SERIALIZATION.unmarshal(json, type);
    }

    /** A deep copy, so a caller never shares mutable state with the store. */
    @SuppressWarnings("unchecked")
    public static <T extends HasMetadata> T copy(T object) {
        return (T) SERIALIZATION.clone(object);
    }
}
