package dev.knet.store;

import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.knet.store.TestObjects.boundPod;
import static dev.knet.store.TestObjects.configMap;
import static dev.knet.store.TestObjects.namespace;
import static dev.knet.store.TestObjects.pod;
import static dev.knet.store.TestObjects.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultApiStoreTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final DefaultApiStore store = DefaultApiStore.builder().journal(journal).build();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void bootstrapsTheSystemNamespaces() {
        assertThat(store.list(ResourceKinds.NAMESPACE, ListOptions.all()).items())
                .extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(DefaultApiStore.SYSTEM_NAMESPACES);
    }

    @Test
    void createSetsServerFieldsAndReturnsACopy() {
        long before = store.resourceVersion();
        Pod created = store.create(pod("default", "web"));

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isEqualTo(Long.toString(before + 1));
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(store.resourceVersion()).isEqualTo(before + 1);

        created.getMetadata().getLabels().put("changed", "by-caller");
        Pod stored = store.get(ResourceKinds.POD, "default", "web").orElseThrow();
        assertThat(stored.getMetadata().getLabels()).doesNotContainKey("changed");
        assertThat(stored).isEqualTo(store.get(ResourceKinds.POD, "default", "web").orElseThrow());
    }

    @Test
    void createPutsANamespacelessObjectIntoDefault() {
        store.create(pod(null, "web"));
        assertThat(store.get(ResourceKinds.POD, "default", "web")).isPresent();
    }

    @Test
    void createGeneratesANameFromGenerateName() {
        Pod p = pod("default", null);
        p.getMetadata().setGenerateName("web-");
        assertThat(store.create(p).getMetadata().getName()).matches("web-[a-z0-9]{5}");
    }

    @Test
    void createRefusesADuplicateAndANamelessObject() {
        store.create(pod("default", "web"));
        assertThatThrownBy(() -> store.create(pod("default", "web")))
                .isInstanceOfSatisfying(ApiException.AlreadyExists.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThatThrownBy(() -> store.create(pod("default", null)))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> assertThat(e.errors())
                        .extracting(FieldError::path).containsExactly("metadata.name"));
    }

    @Test
    void namespacedObjectsNeedAnExistingNamespace() {
        assertThatThrownBy(() -> store.create(pod("team-a", "web")))
                .isInstanceOf(ApiException.NotFound.class).hasMessageContaining("namespace \"team-a\" not found");

        // The namespace may come in the same transaction, before the object.
        store.commit(List.of(new Mutation.Create(namespace("team-a")), new Mutation.Create(pod("team-a", "web"))));
        assertThat(store.get(ResourceKinds.POD, "team-a", "web")).isPresent();

        assertThatThrownBy(() -> store.commit(List.of(new Mutation.Create(pod("team-b", "web")),
                new Mutation.Create(namespace("team-b")))))
                .isInstanceOf(ApiException.NotFound.class);
        assertThat(store.get(ResourceKinds.NAMESPACE, null, "team-b")).isEmpty();
    }

    @Test
    void clusterScopedObjectsTakeNoNamespace() {
        var ns = namespace("team-a");
        ns.getMetadata().setNamespace("default");
        assertThatThrownBy(() -> store.create(ns)).isInstanceOf(ApiException.BadRequest.class);
    }

    @Test
    void aKindTheStoreDoesNotServeIsABadRequest() {
        var unknown = new ResourceKind<>("example.dev", "v1", "Widget", "widgets",
                ResourceKind.Scope.NAMESPACED, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        assertThatThrownBy(() -> store.get(unknown, "default", "w")).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> store.list(unknown, ListOptions.all())).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> store.delete(unknown, "default", "w")).isInstanceOf(ApiException.BadRequest.class);
    }

    static Stream<Arguments> selectors() {
        return Stream.of(
                Arguments.of("everything", ListOptions.all(), List.of("a/web-1", "a/web-2", "b/db-1", "default/web-3")),
                Arguments.of("one namespace", ListOptions.inNamespace("a"), List.of("a/web-1", "a/web-2")),
                Arguments.of("label equality", ListOptions.all().withLabels("app=web"),
                        List.of("a/web-1", "a/web-2", "default/web-3")),
                Arguments.of("label inequality", ListOptions.all().withLabels("app!=web"), List.of("b/db-1")),
                Arguments.of("label set", ListOptions.all().withLabels("tier in (front,back)"),
                        List.of("a/web-1", "b/db-1")),
                Arguments.of("label exists", ListOptions.all().withLabels("tier"), List.of("a/web-1", "b/db-1")),
                Arguments.of("labels and namespace", ListOptions.inNamespace("a").withLabels("tier=front"),
                        List.of("a/web-1")),
                Arguments.of("field nodeName", ListOptions.all().withFields("spec.nodeName=node-1"),
                        List.of("a/web-1", "b/db-1")),
                Arguments.of("field unset nodeName", ListOptions.all().withFields("spec.nodeName="),
                        List.of("a/web-2", "default/web-3")),
                Arguments.of("field inequality", ListOptions.all().withFields("spec.nodeName!=node-1"),
                        List.of("a/web-2", "default/web-3")),
                Arguments.of("field name", ListOptions.all().withFields("metadata.name==web-2"), List.of("a/web-2")),
                Arguments.of("field phase", ListOptions.all().withFields("status.phase=Running"), List.of("b/db-1")),
                Arguments.of("generic field path", ListOptions.all().withFields("spec.restartPolicy=Never"),
                        List.of("default/web-3")),
                Arguments.of("labels and fields", ListOptions.all().withLabels("app=web").withFields("spec.nodeName=node-1"),
                        List.of("a/web-1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void listFiltersByNamespaceLabelsAndFields(String name, ListOptions options, List<String> expected) {
        store.commit(List.of(new Mutation.Create(namespace("a")), new Mutation.Create(namespace("b"))));
        Pod web1 = boundPod("a", "web-1", "node-1");
        web1.getMetadata().setLabels(Map.of("app", "web", "tier", "front"));
        Pod web2 = pod("a", "web-2", Map.of("app", "web"));
        Pod db1 = boundPod("b", "db-1", "node-1");
        db1.getMetadata().setLabels(Map.of("app", "db", "tier", "back"));
        Pod web3 = pod("default", "web-3", Map.of("app", "web"));
        web3.getSpec().setRestartPolicy("Never");
        store.commit(Stream.of(web1, web2, db1, web3).map(Mutation.Create::new).toList());
        Pod running = store.get(ResourceKinds.POD, "b", "db-1").orElseThrow();
        running.setStatus(new PodStatusBuilder().withPhase("Running").build());
        store.updateStatus(running);

        ObjectList<Pod> list = store.list(ResourceKinds.POD, options);

        assertThat(list.items()).extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .containsExactlyElementsOf(expected);
        assertThat(list.resourceVersion()).isEqualTo(store.resourceVersion());
    }

    @Test
    void badSelectorsAreBadRequests() {
        assertThatThrownBy(() -> store.list(ResourceKinds.POD, ListOptions.all().withLabels("app in (web")))
                .isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> store.list(ResourceKinds.POD, ListOptions.all().withFields("spec.nodeName")))
                .isInstanceOf(ApiException.BadRequest.class);
    }

    static Stream<Arguments> generationCases() {
        return Stream.of(
                Arguments.of("label change keeps generation", (java.util.function.Consumer<Service>)
                        s -> s.getMetadata().setLabels(Map.of("x", "y")), 1L),
                Arguments.of("annotation change keeps generation", (java.util.function.Consumer<Service>)
                        s -> s.getMetadata().setAnnotations(Map.of("note", "n")), 1L),
                Arguments.of("spec change bumps generation", (java.util.function.Consumer<Service>)
                        s -> s.getSpec().getPorts().getFirst().setPort(8080), 2L),
                Arguments.of("no change keeps generation", (java.util.function.Consumer<Service>) s -> { }, 1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generationCases")
    void generationFollowsTheSpecOnly(String name, java.util.function.Consumer<Service> change, long generation) {
        Service created = store.create(service("default", "web", 80));
        change.accept(created);
        Service updated = store.update(created);
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(updated.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(updated.getMetadata().getCreationTimestamp()).isEqualTo(created.getMetadata().getCreationTimestamp());
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
    }

    @Test
    void generationOfAKindWithoutASpecFollowsItsContent() {
        ConfigMap cm = store.create(configMap("default", "cfg", "v1"));
        cm.getMetadata().setLabels(Map.of("x", "y"));
        ConfigMap relabelled = store.update(cm);
        assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1L);
        relabelled.getData().put("key", "v2");
        assertThat(store.update(relabelled).getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void generationComparesTheSpecAsAdmissionLeavesIt() {
        AdmissionPlugin defaultType = (op, object, old, view) -> {
            if (object instanceof Service s && s.getSpec().getType() == null) {
                s.getSpec().setType("ClusterIP");
            }
        };
        try (DefaultApiStore defaulting = DefaultApiStore.builder().admission(defaultType).build()) {
            defaulting.create(service("default", "web", 80));
            Service again = service("default", "web", 80); // type omitted, as in the manifest
            assertThat(defaulting.update(again).getMetadata().getGeneration()).isEqualTo(1L);
            Service changed = service("default", "web", 81);
            assertThat(defaulting.update(changed).getMetadata().getGeneration()).isEqualTo(2L);
        }
    }

    @Test
    void updateKeepsStatusAndUpdateStatusKeepsSpec() {
        Pod created = store.create(pod("default", "web"));
        Pod withStatus = store.get(ResourceKinds.POD, "default", "web").orElseThrow();
        withStatus.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.244.0.5").build());
        withStatus.getSpec().setNodeName("ignored-by-status-update");
        Pod afterStatus = store.updateStatus(withStatus);
        assertThat(afterStatus.getStatus().getPodIP()).isEqualTo("10.244.0.5");
        assertThat(afterStatus.getSpec().getNodeName()).isNull();
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

        created.setStatus(null);
        created.getMetadata().setResourceVersion(null);
        created.getSpec().setNodeName("node-1");
        Pod afterUpdate = store.update(created);
        assertThat(afterUpdate.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(afterUpdate.getStatus().getPodIP()).isEqualTo("10.244.0.5");
        assertThat(afterUpdate.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void staleResourceVersionIsAConflict() {
        Pod v1 = store.create(pod("default", "web"));
        Pod v2 = store.get(ResourceKinds.POD, "default", "web").orElseThrow();
        v2.getMetadata().setLabels(Map.of("rev", "2"));
        store.update(v2);

        v1.getMetadata().setLabels(Map.of("rev", "stale"));
        long version = store.resourceVersion();
        assertThatThrownBy(() -> store.update(v1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThatThrownBy(() -> store.updateStatus(v1)).isInstanceOf(ApiException.Conflict.class);
        assertThat(store.resourceVersion()).isEqualTo(version);
        assertThat(store.get(ResourceKinds.POD, "default", "web").orElseThrow().getMetadata().getLabels())
                .containsEntry("rev", "2");

        v1.getMetadata().setResourceVersion(null); // unconditional update
        assertThat(store.update(v1).getMetadata().getLabels()).containsEntry("rev", "stale");
    }

    @Test
    void updateOfAMissingObjectIsNotFound() {
        assertThatThrownBy(() -> store.update(pod("default", "web")))
                .isInstanceOfSatisfying(ApiException.NotFound.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void applyCreatesThenUpdates() {
        Service first = store.apply(service(null, "web", 80));
        Service stale = service(null, "web", 8080);
        stale.getMetadata().setResourceVersion("1"); // apply ignores the caller's version
        Service second = store.apply(stale);

        assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
        assertThat(second.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(store.get(ResourceKinds.SERVICE, "default", "web").orElseThrow().getSpec().getPorts().getFirst()
                .getPort()).isEqualTo(8080);
    }

    @Test
    void aFailingMutationLeavesNothingBehind() {
        store.create(configMap("default", "exists", "v"));
        long version = store.resourceVersion();
        int entries = journal.entries.size();
        var events = new WatchTest.Collector<ConfigMap>();
        try (Watch ignored = store.watch(ResourceKinds.CONFIG_MAP, ListOptions.all(), version, events)) {
            assertThatThrownBy(() -> store.commit(List.of(
                    new Mutation.Create(configMap("default", "new-1", "v")),
                    new Mutation.Update(configMap("default", "exists", "changed")),
                    new Mutation.Create(configMap("default", "exists", "duplicate")))))
                    .isInstanceOf(ApiException.AlreadyExists.class);

            assertThat(store.resourceVersion()).isEqualTo(version);
            assertThat(journal.entries).hasSize(entries);
            assertThat(store.get(ResourceKinds.CONFIG_MAP, "default", "new-1")).isEmpty();
            assertThat(store.get(ResourceKinds.CONFIG_MAP, "default", "exists").orElseThrow().getData())
                    .containsEntry("key", "v");

            // The next write's event is the first the watch sees: nothing of the failed one leaked out.
            store.create(configMap("default", "after", "v"));
            WatchTest.awaitEvents(events, 1);
            assertThat(events.events).extracting(e -> e.object().getMetadata().getName()).containsExactly("after");
        }
    }

    @Test
    void aJournalFailureLeavesNothingBehind() {
        long version = store.resourceVersion();
        journal.failNextAppend = true;
        assertThatThrownBy(() -> store.create(pod("default", "web")))
                .isInstanceOfSatisfying(ApiException.Unavailable.class, e -> {
                    assertThat(e.code()).isEqualTo(503);
                    assertThat(e.getCause()).hasMessage("disk full");
                });
        assertThat(store.resourceVersion()).isEqualTo(version);
        assertThat(store.get(ResourceKinds.POD, "default", "web")).isEmpty();

        assertThat(store.create(pod("default", "web")).getMetadata().getResourceVersion())
                .isEqualTo(Long.toString(version + 1));
    }

    @Test
    void aTransactionGivesEachWriteItsOwnVersionAndJournalsOnce() {
        long version = store.resourceVersion();
        int entries = journal.entries.size();
        List<HasMetadata> results = store.commit(List.of(
                new Mutation.Create(configMap("default", "a", "1")),
                new Mutation.Create(configMap("default", "b", "1")),
                new Mutation.Delete(ResourceKinds.CONFIG_MAP, "default", "a", Mutation.Grace.GRACEFUL)));

        assertThat(results).hasSize(3);
        assertThat(results.get(0).getMetadata().getResourceVersion()).isEqualTo(Long.toString(version + 1));
        assertThat(results.get(1).getMetadata().getResourceVersion()).isEqualTo(Long.toString(version + 2));
        assertThat(results.get(2)).isNull();
        assertThat(store.resourceVersion()).isEqualTo(version + 3);
        assertThat(journal.entries).hasSize(entries + 1);
        Journal.Entry entry = journal.entries.getLast();
        assertThat(entry.resourceVersion()).isEqualTo(version + 3);
        assertThat(entry.written()).extracting(o -> o.getMetadata().getName()).containsExactly("b");
        assertThat(entry.removed()).containsExactly(new Journal.Removal("v1", "ConfigMap", "default", "a"));
    }

    @Test
    void admissionSeesTheTransactionAndCanRefuseIt() {
        AdmissionPlugin noDbWithoutConfig = (op, object, old, view) -> {
            if (op == AdmissionPlugin.Operation.CREATE && object instanceof Pod p && p.getMetadata().getName().equals("db")
                    && view.get(ResourceKinds.CONFIG_MAP, "default", "db-config").isEmpty()) {
                throw new ApiException.Invalid(dev.knet.model.ObjectKey.of(p),
                        List.of(FieldError.required("configmap db-config")));
            }
        };
        try (DefaultApiStore guarded = DefaultApiStore.builder().admission(noDbWithoutConfig).build()) {
            long version = guarded.resourceVersion();
            assertThatThrownBy(() -> guarded.commit(List.of(new Mutation.Create(configMap("default", "other", "v")),
                    new Mutation.Create(pod("default", "db"))))).isInstanceOf(ApiException.Invalid.class);
            assertThat(guarded.resourceVersion()).isEqualTo(version);
            assertThat(guarded.get(ResourceKinds.CONFIG_MAP, "default", "other")).isEmpty();

            guarded.commit(List.of(new Mutation.Create(configMap("default", "db-config", "v")),
                    new Mutation.Create(pod("default", "db"))));
            assertThat(guarded.get(ResourceKinds.POD, "default", "db")).isPresent();
        }
    }

    @Test
    void deletingAPodOnANodeIsGraceful() {
        Pod bound = boundPod("default", "web", "node-1");
        bound.getSpec().setTerminationGracePeriodSeconds(5L);
        store.create(bound);

        HasMetadata terminating = store.delete(ResourceKinds.POD, "default", "web");
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotBlank();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5L);
        assertThat(store.get(ResourceKinds.POD, "default", "web")).isPresent();

        long version = store.resourceVersion();
        store.delete(ResourceKinds.POD, "default", "web"); // a repeated graceful delete changes nothing
        assertThat(store.resourceVersion()).isEqualTo(version);

        assertThat(store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", "web",
                Mutation.Grace.IMMEDIATE))).getFirst()).isNull();
        assertThat(store.get(ResourceKinds.POD, "default", "web")).isEmpty();
    }

    @Test
    void deletingAnUnscheduledPodRemovesIt() {
        store.create(pod("default", "web"));
        assertThat(store.delete(ResourceKinds.POD, "default", "web")).isNull();
        assertThat(store.get(ResourceKinds.POD, "default", "web")).isEmpty();
        assertThatThrownBy(() -> store.delete(ResourceKinds.POD, "default", "web"))
                .isInstanceOf(ApiException.NotFound.class);
    }

    @Test
    void finalizersHoldDeletionUntilTheLastIsRemoved() {
        ConfigMap cm = configMap("default", "held", "v");
        cm.getMetadata().setFinalizers(List.of("knet.dev/a", "knet.dev/b"));
        store.create(cm);

        for (Mutation.Grace grace : List.of(Mutation.Grace.GRACEFUL, Mutation.Grace.IMMEDIATE,
                Mutation.Grace.ofSeconds(10))) {
            store.commit(List.of(new Mutation.Delete(ResourceKinds.CONFIG_MAP, "default", "held", grace)));
            assertThat(store.get(ResourceKinds.CONFIG_MAP, "default", "held").orElseThrow()
                    .getMetadata().getDeletionTimestamp()).as(grace.toString()).isNotBlank();
        }

        ConfigMap one = store.get(ResourceKinds.CONFIG_MAP, "default", "held").orElseThrow();
        one.getMetadata().setFinalizers(List.of("knet.dev/b"));
        assertThat(store.update(one)).isNotNull();
        assertThat(store.get(ResourceKinds.CONFIG_MAP, "default", "held")).isPresent();

        ConfigMap none = store.get(ResourceKinds.CONFIG_MAP, "default", "held").orElseThrow();
        none.getMetadata().setFinalizers(List.of());
        assertThat(store.update(none)).isNull();
        assertThat(store.get(ResourceKinds.CONFIG_MAP, "default", "held")).isEmpty();
    }

    @Test
    void closingTheStoreClosesItsJournal() {
        DefaultApiStore other = DefaultApiStore.builder().journal(new RecordingJournal()).build();
        RecordingJournal own = new RecordingJournal();
        DefaultApiStore.builder().journal(own).build().close();
        other.close();
        assertThat(own.closed).isTrue();
    }
}
