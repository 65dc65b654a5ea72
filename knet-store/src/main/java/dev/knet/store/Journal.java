package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Collection;
import java.util.List;

/**
 * Where the store makes writes durable. {@link #append} returns only once the entry would survive
 * a crash; {@link #recover} returns exactly the state of the acknowledged entries, or fails with
 * {@link JournalCorruptException} when the files are damaged in a way that could lose any of them.
 */
public interface Journal extends AutoCloseable {

    /** A committed transaction: the objects written (the stored form) and the keys removed. */
    record Entry(long resourceVersion, List<HasMetadata> written, List<Removal> removed) {
    }

    /** A removed object, by kind name, namespace and name. */
    record Removal(String apiVersion, String kind, String namespace, String name) {
    }

    /** The state found on disk. */
    record Recovered(Collection<HasMetadata> objects, long resourceVersion) {
    }

    Recovered recover();

    void append(Entry entry);

    /** Whether the journal would like a snapshot to shorten recovery (the store then calls {@link #snapshot}). */
    default boolean wantsSnapshot() {
        return false;
    }

    default void snapshot(Collection<HasMetadata> objects, long resourceVersion) {
    }

    @Override
    void close();

    /** A journal that keeps nothing: for tests and the offline model. */
    static Journal inMemory() {
        return new Journal() {
            @Override
            public Recovered recover() {
                return new Recovered(List.of(), 0);
            }

            @Override
            public void append(Entry entry) {
            }

            @Override
            public void close() {
            }
        };
    }
}
