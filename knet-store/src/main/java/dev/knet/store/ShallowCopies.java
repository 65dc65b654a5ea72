package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A new top-level object that shares every part (spec, data...) with the original except its own
 * metadata. Stored objects never change after they commit, so a status write can reuse the stored
 * spec instead of deep-copying it: the store's largest cost under controllers that mostly write status.
 */
final class ShallowCopies {

    private record Property(Method getter, Method setter) {
    }

    private static final Map<Class<?>, List<Property>> PROPERTIES = new ConcurrentHashMap<>();

    private ShallowCopies() {
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T withOwnMetadata(T original) {
        try {
            T copy = (T) original.getClass().getConstructor().newInstance();
            for (Property p : properties(original.getClass())) {
                p.setter().invoke(copy, p.getter().invoke(original));
            }
            copy.setMetadata(new ObjectMetaBuilder(original.getMetadata()).build());
            return copy;
        } catch (ReflectiveOperationException e) {
            // Every fabric8 model class is a bean; fall back to a deep copy if one is not.
            return ObjectCopies.copy(original);
        }
    }

    private static List<Property> properties(Class<?> type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            List<Property> out = new ArrayList<>();
            for (Method getter : t.getMethods()) {
                String name = getter.getName();
                if (!name.startsWith("get") || getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                        || name.equals("getClass") || name.equals("getMetadata")) {
                    continue;
                }
                try {
                    Method setter = t.getMethod("set" + name.substring(3), getter.getReturnType());
                    out.add(new Property(getter, setter));
                } catch (NoSuchMethodException e) {
                    // read-only or derived property: nothing to carry over
                }
            }
            return List.copyOf(out);
        });
    }
}
