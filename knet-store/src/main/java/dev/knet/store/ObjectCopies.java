package dev.knet.store;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Deep copies of API objects, the store's main cost besides the disk. Converting through Jackson's
 * token buffer skips writing and parsing JSON text and measured about twice as fast as
 * {@link KnetJson#copy}; the result is the same independent object graph.
 */
final class ObjectCopies {

    private ObjectCopies() {
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T copy(T object) {
        return (T) KnetJson.serialization().convertValue(object, object.getClass());
    }

    /**
     * The results of a commit, copied only when read: a caller applying thousands of objects often
     * ignores them. Safe because stored objects never change after their transaction commits.
     */
    static List<HasMetadata> copiedOnRead(List<HasMetadata> stored) {
        return new CopiedOnRead(stored);
    }

    private static final class CopiedOnRead extends AbstractList<HasMetadata> implements RandomAccess {
        private final List<HasMetadata> stored;
        private final HasMetadata[] copies;

        CopiedOnRead(List<HasMetadata> stored) {
            this.stored = stored;
            this.copies = new HasMetadata[stored.size()];
        }

        @Override
        public synchronized HasMetadata get(int index) {
            HasMetadata original = stored.get(index);
            if (original != null && copies[index] == null) {
                copies[index] = copy(original);
            }
            return copies[index];
        }

        @Override
        public int size() {
            return stored.size();
        }
    }
}
