package dev.knet.node;

import dev.knet.model.ResourceKind;
import dev.knet.store.ApiException;
import dev.knet.store.ApiStore;
import dev.knet.store.Handoff;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.ObjectList;
import dev.knet.store.Watch;
import dev.knet.store.WatchListener;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts status writes refused as conflicts: each one is a reconcile that must come back. */
final class ConflictCountingStore implements ApiStore {

    private final ApiStore store;
    private final AtomicInteger statusConflicts = new AtomicInteger();

    ConflictCountingStore(ApiStore store) {
        this.store = store;
    }

    int statusConflicts() {
        return statusConflicts.get();
    }

    @Override
    public List<HasMetadata> commit(List<? extends Mutation> mutations) {
        return commit(mutations, Handoff.COPY);
    }

    @Override
    public List<HasMetadata> commit(List<? extends Mutation> mutations, Handoff handoff) {
        try {
            return store.commit(mutations, handoff);
        } catch (ApiException.Conflict e) {
            if (mutations.stream().anyMatch(m -> m instanceof Mutation.UpdateStatus)) {
                statusConflicts.incrementAndGet();
            }
            throw e;
        }
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name) {
        return store.get(kind, namespace, name);
    }

    @Override
    public <T extends HasMetadata> ObjectList<T> list(ResourceKind<T> kind, ListOptions options) {
        return store.list(kind, options);
    }

    @Override
    public <T extends HasMetadata> Watch watch(ResourceKind<T> kind, ListOptions options, Long fromResourceVersion,
                                               WatchListener<T> listener) {
        return store.watch(kind, options, fromResourceVersion, listener);
    }

    @Override
    public long resourceVersion() {
        return store.resourceVersion();
    }

    @Override
    public void close() {
        store.close();
    }
}
