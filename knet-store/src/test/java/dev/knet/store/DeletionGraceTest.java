package dev.knet.store;

import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.knet.store.TestObjects.boundPod;
import static dev.knet.store.TestObjects.configMap;
import static dev.knet.store.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The grace of a delete (DeleteOptions.gracePeriodSeconds), as the Kubernetes API server applies it. */
class DeletionGraceTest {

    private static final Mutation.Grace POD_DEFAULT = Mutation.Grace.GRACEFUL;
    private static final Mutation.Grace NOW = Mutation.Grace.IMMEDIATE;

    private final DefaultApiStore store = DefaultApiStore.builder().build();

    @AfterEach
    void close() {
        store.close();
    }

    /** What a delete left: removed, or still there with these marks (grace null: unset), and the event it caused. */
    record Outcome(boolean removed, Long grace, WatchEvent.Type event) {
        static Outcome removedNow() {
            return new Outcome(true, null, WatchEvent.Type.DELETED);
        }

        static Outcome terminating(Long grace) {
            return new Outcome(false, grace, WatchEvent.Type.MODIFIED);
        }

        static Outcome unchanged(Long grace) {
            return new Outcome(false, grace, null);
        }
    }

    private static Pod running(Long specGrace, String... finalizers) {
        Pod p = boundPod("default", "p", "node-1");
        p.getSpec().setTerminationGracePeriodSeconds(specGrace);
        p.getMetadata().setFinalizers(List.of(finalizers));
        return p;
    }

    private static HasMetadata held(HasMetadata object) {
        object.getMetadata().setFinalizers(List.of("knet.dev/hold"));
        return object;
    }

    static Stream<Arguments> firstDeletes() {
        return Stream.of(
                Arguments.of("a running pod without a grace gets its spec's", running(5L), POD_DEFAULT,
                        Outcome.terminating(5L)),
                Arguments.of("a running pod without either grace gets 30 s", running(null), POD_DEFAULT,
                        Outcome.terminating(30L)),
                Arguments.of("the delete's grace wins over a shorter spec's", running(5L), new Mutation.Grace.Seconds(60),
                        Outcome.terminating(60L)),
                Arguments.of("the delete's grace wins over a longer spec's", running(300L), Mutation.Grace.ofSeconds(7),
                        Outcome.terminating(7L)),
                Arguments.of("grace 0 removes a running pod now", running(300L), Mutation.Grace.ofSeconds(0),
                        Outcome.removedNow()),
                Arguments.of("Seconds(0) is the same as immediate", running(300L), new Mutation.Grace.Seconds(0),
                        Outcome.removedNow()),
                Arguments.of("immediate removes a running pod now", running(300L), NOW, Outcome.removedNow()),
                Arguments.of("a negative grace counts as one second, as the API server's pod strategy does",
                        running(300L), Mutation.Grace.ofSeconds(-1), Outcome.terminating(1L)),
                Arguments.of("a ConfigMap with a negative grace goes at once", configMap("default", "p", "v"),
                        Mutation.Grace.ofSeconds(-5), Outcome.removedNow()),
                Arguments.of("a running pod with finalizers still gets its grace", running(5L, "knet.dev/hold"),
                        Mutation.Grace.ofSeconds(3), Outcome.terminating(3L)),
                Arguments.of("a running pod with finalizers deleted now waits for them, with grace 0",
                        running(5L, "knet.dev/hold"), NOW, Outcome.terminating(0L)),
                Arguments.of("an unscheduled pod goes at once, whatever the grace", pod("default", "p"),
                        Mutation.Grace.ofSeconds(10), Outcome.removedNow()),
                Arguments.of("a ConfigMap goes at once, whatever the grace", configMap("default", "p", "v"),
                        Mutation.Grace.ofSeconds(10), Outcome.removedNow()),
                Arguments.of("a ConfigMap with finalizers only gets a deletionTimestamp",
                        held(configMap("default", "p", "v")), Mutation.Grace.ofSeconds(10),
                        Outcome.terminating(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstDeletes")
    void aFirstDelete(String name, HasMetadata object, Mutation.Grace grace, Outcome expected) {
        ResourceKind<?> kind = Transaction.kindOf(object);
        store.create(object);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        List<WatchEvent.Type> events = eventsOf(kind, () -> delete(kind, grace));

        Instant after = Instant.now();
        assertThat(events).as("events").containsExactlyElementsOf(Stream.ofNullable(expected.event()).toList());
        Optional<? extends HasMetadata> stored = store.get(kind, "default", "p");
        assertThat(stored.isEmpty()).as("removed").isEqualTo(expected.removed());
        if (!expected.removed()) {
            HasMetadata left = stored.orElseThrow();
            assertThat(left.getMetadata().getDeletionGracePeriodSeconds()).as("grace").isEqualTo(expected.grace());
            // The deletionTimestamp is the end of the grace: the time of the delete plus the grace.
            long seconds = expected.grace() == null ? 0 : expected.grace();
            assertThat(Instant.parse(left.getMetadata().getDeletionTimestamp()).minusSeconds(seconds))
                    .as("deletionTimestamp - grace").isBetween(before, after);
        }
    }

    static Stream<Arguments> secondDeletes() {
        return Stream.of(
                Arguments.of("a shorter grace shortens it", running(30L), Mutation.Grace.ofSeconds(10),
                        Outcome.terminating(10L)),
                Arguments.of("a grace of 1 s shortens it", running(30L), Mutation.Grace.ofSeconds(1),
                        Outcome.terminating(1L)),
                Arguments.of("a negative grace shortens it to one second", running(30L), Mutation.Grace.ofSeconds(-3),
                        Outcome.terminating(1L)),
                Arguments.of("a longer grace changes nothing", running(30L), Mutation.Grace.ofSeconds(60),
                        Outcome.unchanged(30L)),
                Arguments.of("an equal grace changes nothing", running(30L), Mutation.Grace.ofSeconds(30),
                        Outcome.unchanged(30L)),
                Arguments.of("no grace changes nothing (the pod's own is pending)", running(30L), POD_DEFAULT,
                        Outcome.unchanged(30L)),
                Arguments.of("grace 0 removes it (the node agent letting go)", running(30L),
                        Mutation.Grace.ofSeconds(0), Outcome.removedNow()),
                Arguments.of("immediate removes it", running(30L), NOW, Outcome.removedNow()),
                Arguments.of("with finalizers, grace 0 shortens it to 0 and the finalizers hold it",
                        running(30L, "knet.dev/hold"), NOW, Outcome.terminating(0L)),
                Arguments.of("a ConfigMap held by finalizers is left as it is", held(configMap("default", "p", "v")),
                        Mutation.Grace.ofSeconds(1), Outcome.unchanged(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secondDeletes")
    void aSecondDelete(String name, HasMetadata object, Mutation.Grace grace, Outcome expected) {
        ResourceKind<?> kind = Transaction.kindOf(object);
        store.create(object);
        HasMetadata first = delete(kind, POD_DEFAULT);
        Instant firstEnd = Instant.parse(first.getMetadata().getDeletionTimestamp());
        Long firstGrace = first.getMetadata().getDeletionGracePeriodSeconds();
        long version = store.resourceVersion();

        List<WatchEvent.Type> events = eventsOf(kind, () -> delete(kind, grace));

        assertThat(events).as("events").containsExactlyElementsOf(Stream.ofNullable(expected.event()).toList());
        Optional<? extends HasMetadata> stored = store.get(kind, "default", "p");
        assertThat(stored.isEmpty()).as("removed").isEqualTo(expected.removed());
        if (expected.removed()) {
            return;
        }
        HasMetadata left = stored.orElseThrow();
        assertThat(left.getMetadata().getDeletionGracePeriodSeconds()).as("grace").isEqualTo(expected.grace());
        Instant end = Instant.parse(left.getMetadata().getDeletionTimestamp());
        if (expected.event() == null) {
            assertThat(left.getMetadata().getResourceVersion()).as("resourceVersion")
                    .isEqualTo(Long.toString(version));
            assertThat(end).as("deletionTimestamp").isEqualTo(firstEnd);
        } else {
            // The shorter grace counts from the same start: the deletionTimestamp moves earlier by the difference.
            assertThat(end).as("deletionTimestamp").isEqualTo(firstEnd.minusSeconds(firstGrace - expected.grace()));
        }
    }

    private HasMetadata delete(ResourceKind<?> kind, Mutation.Grace grace) {
        return store.commit(List.of(new Mutation.Delete(kind, "default", "p", grace))).getFirst();
    }

    /**
     * The watch events of {@code kind} that {@code action} caused. A marker object written afterwards bounds them:
     * once its event arrives, every event before it has.
     */
    private <T extends HasMetadata> List<WatchEvent.Type> eventsOf(ResourceKind<T> kind, Runnable action) {
        var collector = new WatchTest.Collector<T>();
        try (Watch ignored = store.watch(kind, ListOptions.all(), store.resourceVersion(), collector)) {
            action.run();
            HasMetadata marker = kind == ResourceKinds.POD ? pod("default", "marker")
                    : configMap("default", "marker", "v");
            store.create(marker);
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.events.stream()
                    .anyMatch(e -> "marker".equals(e.object().getMetadata().getName())));
            return collector.events.stream().filter(e -> !"marker".equals(e.object().getMetadata().getName()))
                    .map(WatchEvent::type).toList();
        }
    }
}
