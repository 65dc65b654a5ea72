package dev.knet.store;

import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.knet.store.TestObjects.configMap;
import static dev.knet.store.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchTest {

    /** A listener that keeps every event and how the watch ended. */
    static final class Collector<T extends HasMetadata> implements WatchListener<T> {
        final List<WatchEvent<T>> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void onEvent(WatchEvent<T> event) {
            events.add(event);
        }

        @Override
        public void onClose(Throwable cause) {
            closed.complete(cause);
        }

        List<String> summary() {
            return events.stream().map(e -> e.type() + " " + e.object().getMetadata().getName()).toList();
        }
    }

    static void awaitEvents(Collector<?> collector, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.events.size() >= count);
    }

    private final DefaultApiStore store = DefaultApiStore.builder().historySize(50).build();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void deliversEveryChangeInOrderWithoutGaps() {
        long start = store.resourceVersion();
        var events = new Collector<ConfigMap>();
        List<Long> written = new ArrayList<>();
        try (Watch ignored = store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), start, events)) {
            for (int i = 0; i < 10; i++) {
                written.add(Long.parseLong(store.create(configMap("default", "cm-" + i, "v")).getMetadata()
                        .getResourceVersion()));
                store.create(pod("default", "pod-" + i)); // another kind: not part of this watch
                ConfigMap cm = store.get(ResourceKinds.CONFIG_MAP, "default", "cm-" + i).orElseThrow();
                cm.getData().put("key", "changed");
                written.add(Long.parseLong(store.update(cm).getMetadata().getResourceVersion()));
            }
            awaitEvents(events, 20);
        }
        assertThat(events.events).extracting(WatchEvent::resourceVersion).containsExactlyElementsOf(written);
        assertThat(events.events).extracting(e -> Long.parseLong(e.object().getMetadata().getResourceVersion()))
                .containsExactlyElementsOf(written);
        assertThat(events.events.subList(0, 2)).extracting(WatchEvent::type)
                .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED);
    }

    @Test
    void resumesAfterAGivenVersion() {
        store.create(configMap("default", "before", "v"));
        long resumeAt = store.resourceVersion();
        store.create(configMap("default", "after-1", "v"));
        store.delete(ResourceKinds.CONFIG_MAP, "default", "before");
        var events = new Collector<ConfigMap>();
        try (Watch ignored = store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), resumeAt, events)) {
            store.create(configMap("default", "after-2", "v"));
            awaitEvents(events, 3);
        }
        assertThat(events.summary()).containsExactly("ADDED after-1", "DELETED before", "ADDED after-2");
    }

    @Test
    void aVersionOlderThanTheHistoryIsGone() {
        long old = store.resourceVersion();
        for (int i = 0; i < 60; i++) { // history holds 50 events
            store.create(configMap("default", "cm-" + i, "v"));
        }
        var events = new Collector<ConfigMap>();
        store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), old, events);
        Throwable cause = events.closed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(cause).isInstanceOfSatisfying(ApiException.Gone.class, e -> assertThat(e.code()).isEqualTo(410));
        assertThat(events.events).isEmpty();
    }

    @Test
    void withoutAVersionTheCurrentObjectsArriveFirstAsAdded() {
        store.create(configMap("default", "a", "v"));
        store.create(configMap("default", "b", "v"));
        var events = new Collector<ConfigMap>();
        try (Watch ignored = store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), null, events)) {
            store.delete(ResourceKinds.CONFIG_MAP, "default", "a");
            awaitEvents(events, 3);
        }
        assertThat(events.summary()).containsExactly("ADDED a", "ADDED b", "DELETED a");
    }

    @Test
    void objectsEnteringAndLeavingTheSelectorAreAddedAndDeleted() {
        var events = new Collector<Pod>();
        try (Watch ignored = store.watch(ResourceKinds.POD, ListOptions.inNamespace("default").withLabels("app=web"),
                store.resourceVersion(), events)) {
            store.create(pod("default", "p", Map.of("app", "db")));          // outside: nothing
            store.create(pod("kube-system", "q", Map.of("app", "web")));     // other namespace: nothing
            relabel("p", "web");                                             // enters: ADDED
            relabel("p", "web");                                             // unchanged but rewritten: MODIFIED
            relabel("p", "db");                                              // leaves: DELETED
            relabel("p", "web");                                             // enters again: ADDED
            store.delete(ResourceKinds.POD, "default", "p");                 // removed: DELETED
            awaitEvents(events, 5);
        }
        assertThat(events.summary()).containsExactly("ADDED p", "MODIFIED p", "DELETED p", "ADDED p", "DELETED p");
    }

    @Test
    void fieldSelectorsFilterWatches() {
        var events = new Collector<Pod>();
        try (Watch ignored = store.watch(ResourceKinds.POD, ListOptions.all().withFields("spec.nodeName=node-1"),
                null, events)) {
            store.create(TestObjects.boundPod("default", "on-2", "node-2"));
            store.create(pod("default", "unbound"));
            Pod bind = store.get(ResourceKinds.POD, "default", "unbound").orElseThrow();
            bind.getSpec().setNodeName("node-1");
            store.update(bind);
            awaitEvents(events, 1);
        }
        assertThat(events.summary()).containsExactly("ADDED unbound");
    }

    @Test
    void closeStopsDeliveryAndReportsAQuietEnd() {
        var events = new Collector<ConfigMap>();
        Watch watch = store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), store.resourceVersion(), events);
        store.create(configMap("default", "seen", "v"));
        awaitEvents(events, 1);
        watch.close();
        assertThat(events.closed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isNull();

        store.create(configMap("default", "unseen", "v"));
        // A later watch sees the write, so delivery has had every chance to reach the closed one.
        var later = new Collector<ConfigMap>();
        try (Watch ignored = store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), null, later)) {
            awaitEvents(later, 2);
        }
        assertThat(events.summary()).containsExactly("ADDED seen");
    }

    @Test
    void closingTheStoreEndsItsWatches() {
        var events = new Collector<ConfigMap>();
        DefaultApiStore other = DefaultApiStore.builder().build();
        other.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), null, events);
        other.close();
        assertThat(events.closed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isNull();
    }

    private void relabel(String name, String app) {
        Pod p = store.get(ResourceKinds.POD, "default", name).orElseThrow();
        p.getMetadata().setLabels(Map.of("app", app));
        store.update(p);
    }
}
