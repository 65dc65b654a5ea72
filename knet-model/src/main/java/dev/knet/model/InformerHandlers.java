package dev.knet.model;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.function.Consumer;

/** Informer handlers shared by knet's list/watch consumers (Service proxy, NetworkPolicy, cluster DNS). */
public final class InformerHandlers {

    private InformerHandlers() {
    }

    /**
     * Adds and updates both hand the newest object to {@code upsert} (a level-triggered consumer needs no
     * old state); deletes, also those whose final state is unknown, go to {@code delete}.
     */
    public static <T> ResourceEventHandler<T> upsertOrDelete(Consumer<? super T> upsert, Consumer<? super T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                upsert.accept(object);
            }

            @Override
            public void onUpdate(T old, T object) {
                upsert.accept(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                delete.accept(object);
            }
        };
    }
}
