package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies the status of objects whose kind has one (Pod, Service, Node, Deployment, Ingress...), so an
 * update keeps the status and a status update keeps everything else. Kinds without a status field
 * report {@link #hasStatus} false.
 */
final class StatusAccess {

    private record Accessors(Method getter, Method setter) {
    }

    private static final Map<Class<?>, Accessors> CACHE = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Optional<Method>> SPEC = new ConcurrentHashMap<>();
    private static final Accessors NONE = new Accessors(null, null);

    private StatusAccess() {
    }

    static boolean hasStatus(HasMetadata object) {
        return accessors(object.getClass()) != NONE;
    }

    static Object status(HasMetadata object) {
        Accessors a = accessors(object.getClass());
        if (a == NONE) {
            return null;
        }
        try {
            return a.getter.invoke(object);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static void setStatus(HasMetadata object, Object status) {
        Accessors a = accessors(object.getClass());
        if (a == NONE) {
            return;
        }
        try {
            a.setter.invoke(object, status);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether two objects of one class have equal specs; empty when the class has no spec field
     * (ConfigMap, Secret, generic resources), where the caller must compare another way.
     * Comparing the typed spec with equals avoids serialising both objects on every update.
     */
    static Optional<Boolean> sameSpec(HasMetadata a, HasMetadata b) {
        if (a.getClass() != b.getClass()) {
            return Optional.of(false);
        }
        Optional<Method> getter = SPEC.computeIfAbsent(a.getClass(), t -> {
            try {
                return Optional.of(t.getMethod("getSpec"));
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            }
        });
        if (getter.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Objects.equals(getter.get().invoke(a), getter.get().invoke(b)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Accessors accessors(Class<?> type) {
        return CACHE.computeIfAbsent(type, t -> {
            try {
                Method getter = t.getMethod("getStatus");
                Method setter = t.getMethod("setStatus", getter.getReturnType());
                return new Accessors(getter, setter);
            } catch (NoSuchMethodException e) {
                return NONE;
            }
        });
    }
}
