package dev.knet.control.runtime;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ControllerTest {

    /** Writes one ConfigMap per key; the key "bad" names one the store refuses. */
    static final class ConfigMapWriter extends Controller {
        final List<String> refused = new CopyOnWriteArrayList<>();

        ConfigMapWriter(DefaultApiStore store) {
            super("configmap-writer", store, new WriteTracker());
        }

        @Override
        protected void reconcile(String key, Writes writes) {
            String name = key.equals("bad") ? "Not_A_Valid_Name" : key;
            writes.add(new Mutation.Create(new ConfigMapBuilder().withNewMetadata().withName(name)
                    .withNamespace(key.equals("bad") ? "no-such-namespace" : "default").endMetadata().build()),
                    (ApiException e) -> refused.add(key));
        }
    }

    @Test
    void oneRefusedWriteInABatchDoesNotSinkTheOthers() {
        try (DefaultApiStore store = DefaultApiStore.builder().build(); ConfigMapWriter writer = new ConfigMapWriter(store)) {
            List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                keys.add(i == 17 ? "bad" : "cm-" + i);
            }
            writer.enqueueAll(keys);
            writer.start();
            await().until(writer::isIdle);
            await().until(() -> store.list(ResourceKinds.CONFIG_MAP, ListOptions.inNamespace("default")).items().size() == 39);
            assertThat(writer.refused).contains("bad").doesNotContain("cm-16", "cm-18");
        }
    }

    @Test
    void aKeyAddedManyTimesIsTakenOnceAndADelayedKeyComesLater() throws InterruptedException {
        WorkQueue q = new WorkQueue();
        q.add("a");
        q.add("b");
        q.add("a");
        assertThat(q.take(10)).containsExactly("a", "b");
        assertThat(q.isIdle()).isFalse();
        q.done();
        assertThat(q.isIdle()).isTrue();
        q.addAfter("later", 20);
        assertThat(q.isIdle()).as("a delayed key is pending work").isFalse();
        assertThat(q.take(10)).containsExactly("later");
        q.done();
        q.shutdown();
        assertThat(q.take(10)).isEmpty();
    }
}
