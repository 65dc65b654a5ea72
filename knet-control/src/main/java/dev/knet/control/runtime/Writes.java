package dev.knet.control.runtime;

import dev.knet.store.ApiException;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The writes one reconcile round decided on. They are committed together (one transaction, one
 * fsync, per chunk), so a burst of events costs a few commits instead of one per object.
 */
public final class Writes {

    /** One write with what to do once it is durable, or once it failed. */
    public record Pending(String key, Mutation mutation, Consumer<HasMetadata> onSuccess,
                          Consumer<ApiException> onFailure) {
    }

    static final Consumer<HasMetadata> NOTHING = o -> { };
    private static final Consumer<ApiException> IGNORE = e -> { };

    private final List<Pending> pending = new ArrayList<>();
    private String currentKey;

    void startKey(String key) {
        currentKey = key;
    }

    public void add(Mutation mutation) {
        add(mutation, NOTHING, IGNORE);
    }

    /** Adds a write; onFailure undoes whatever the controller assumed about it. */
    public void add(Mutation mutation, Consumer<ApiException> onFailure) {
        add(mutation, NOTHING, onFailure);
    }

    /** Adds a write; onFailure undoes whatever the controller assumed about it. */
    public void add(Mutation mutation, Consumer<HasMetadata> onSuccess, Consumer<ApiException> onFailure) {
        pending.add(new Pending(currentKey, mutation, onSuccess, onFailure));
    }

    List<Pending> pending() {
        return pending;
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    public int size() {
        return pending.size();
    }
}
