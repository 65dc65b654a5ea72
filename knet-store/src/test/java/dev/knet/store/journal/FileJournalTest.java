package dev.knet.store.journal;

import dev.knet.model.ResourceKinds;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Journal;
import dev.knet.store.JournalCorruptException;
import dev.knet.store.ListOptions;
import dev.knet.store.TestObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileJournalTest {

    @TempDir
    Path dir;

    private DefaultApiStore openStore(FileJournal.Options options) {
        return DefaultApiStore.builder().journal(FileJournal.open(dir, options)).build();
    }

    private DefaultApiStore openStore() {
        return openStore(FileJournal.Options.DEFAULTS);
    }

    /** name -> data value of every config map in the default namespace. */
    private static Map<String, String> configMaps(DefaultApiStore store) {
        Map<String, String> out = new TreeMap<>();
        for (ConfigMap cm : store.list(ResourceKinds.CONFIG_MAP, ListOptions.inNamespace("default")).items()) {
            out.put(cm.getMetadata().getName(), cm.getData().get("key"));
        }
        return out;
    }

    private static void writeSome(DefaultApiStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            store.create(TestObjects.configMap("default", "cm-" + i, "v" + i));
        }
    }

    @Test
    void aReopenedStoreHasExactlyTheCommittedState() {
        Map<String, String> expected;
        long version;
        String uid;
        try (DefaultApiStore store = openStore()) {
            writeSome(store, 0, 5);
            ConfigMap changed = store.get(ResourceKinds.CONFIG_MAP, "default", "cm-1").orElseThrow();
            changed.getData().put("key", "updated");
            uid = store.update(changed).getMetadata().getUid();
            store.delete(ResourceKinds.CONFIG_MAP, "default", "cm-2");
            store.create(TestObjects.namespace("team-a"));
            store.create(TestObjects.boundPod("team-a", "web", "node-1"));
            expected = configMaps(store);
            version = store.resourceVersion();
        }
        try (DefaultApiStore store = openStore()) {
            assertThat(configMaps(store)).isEqualTo(expected).doesNotContainKey("cm-2").containsEntry("cm-1", "updated");
            assertThat(store.get(ResourceKinds.CONFIG_MAP, "default", "cm-1").orElseThrow().getMetadata().getUid())
                    .isEqualTo(uid);
            assertThat(store.get(ResourceKinds.POD, "team-a", "web").orElseThrow().getSpec().getNodeName())
                    .isEqualTo("node-1");
            assertThat(store.resourceVersion()).isEqualTo(version);
            // Versions continue from the recovered one, never reuse it.
            assertThat(store.create(TestObjects.configMap("default", "next", "v")).getMetadata().getResourceVersion())
                    .isEqualTo(Long.toString(version + 1));
        }
    }

    @Test
    void snapshotsReplaceTheLogAndRecoverTheSameState() throws IOException {
        var small = new FileJournal.Options(1 << 20, 10);
        Map<String, String> expected;
        try (DefaultApiStore store = openStore(small)) {
            writeSome(store, 0, 25);
            store.delete(ResourceKinds.CONFIG_MAP, "default", "cm-3");
            expected = configMaps(store);
        }
        assertThat(StateFiles.snapshots(dir)).hasSize(1);
        assertThat(StateFiles.segments(dir)).hasSize(1);
        // The current segment starts at the snapshot's version.
        assertThat(StateFiles.segments(dir).getFirst().version()).isEqualTo(StateFiles.snapshots(dir).getFirst().version());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        try (DefaultApiStore store = openStore(small)) {
            assertThat(configMaps(store)).isEqualTo(expected).hasSize(24);
        }
    }

    @Test
    void aSnapshotCutShortBeforeItsRenameIsIgnored() throws IOException {
        Map<String, String> expected;
        try (DefaultApiStore store = openStore()) {
            writeSome(store, 0, 3);
            expected = configMaps(store);
        }
        Path leftover = dir.resolve("snapshot-00000000000000000999.snap.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        try (DefaultApiStore store = openStore()) {
            assertThat(configMaps(store)).isEqualTo(expected);
        }
        assertThat(leftover).doesNotExist();
    }

    static Stream<Arguments> tornTails() {
        return Stream.of(
                Arguments.of("cut inside the last record's payload", (Corruption) (file, last) ->
                        truncate(file, last.offset() + RecordFormat.HEADER + last.payload().length / 2), 3),
                Arguments.of("cut inside the last record's header", (Corruption) (file, last) ->
                        truncate(file, last.offset() + 5), 3),
                Arguments.of("garbage appended", (Corruption) (file, last) ->
                        Files.write(file, "{\"half a record".getBytes(), StandardOpenOption.APPEND), 4),
                Arguments.of("zeros appended (a size update without data)", (Corruption) (file, last) ->
                        Files.write(file, new byte[4096], StandardOpenOption.APPEND), 4),
                Arguments.of("a header promising more than was written", (Corruption) (file, last) -> {
                    Files.write(file, RecordFormat.frame(new byte[100]).array(), StandardOpenOption.APPEND);
                    truncate(file, last.end() + RecordFormat.HEADER + 40);
                }, 4),
                Arguments.of("the last record's payload damaged", (Corruption) (file, last) ->
                        flipByte(file, last.offset() + RecordFormat.HEADER + 3), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tornTails")
    void aTornFinalWriteIsCutOffWithAWarning(String name, Corruption corruption, int survivors) throws IOException {
        try (DefaultApiStore store = openStore()) {
            writeSome(store, 0, 4);
        }
        Path segment = StateFiles.segments(dir).getLast().path();
        List<RecordFormat.Record> records = records(segment);
        corruption.apply(segment, records.getLast());

        try (LogCapture log = new LogCapture(FileJournal.class); DefaultApiStore store = openStore()) {
            assertThat(configMaps(store)).hasSize(survivors)
                    .containsOnlyKeys(IntStream.range(0, survivors).mapToObj(i -> "cm-" + i).toList());
            assertThat(log.warnings()).singleElement().asString().contains(segment.toString(), "torn write");
            // The store writes on after the cut, and the result survives another restart.
            store.create(TestObjects.configMap("default", "after", "v"));
        }
        try (LogCapture log = new LogCapture(FileJournal.class); DefaultApiStore store = openStore()) {
            assertThat(configMaps(store)).hasSize(survivors + 1).containsKey("after");
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void damageInTheMiddleOfTheLogRefusesToStart() throws IOException {
        try (DefaultApiStore store = openStore()) {
            writeSome(store, 0, 4);
        }
        Path segment = StateFiles.segments(dir).getLast().path();
        RecordFormat.Record second = records(segment).get(1);
        flipByte(segment, second.offset() + RecordFormat.HEADER + 10);
        long size = Files.size(segment);

        assertThatThrownBy(this::openStore).isInstanceOfSatisfying(JournalCorruptException.class, e -> {
            assertThat(e.file()).isEqualTo(segment);
            assertThat(e.offset()).isEqualTo(second.offset());
            assertThat(e).hasMessageContaining(segment.toString()).hasMessageContaining("offset " + second.offset());
        });
        assertThat(Files.size(segment)).as("a corrupt log is left as found").isEqualTo(size);
        // The failed start released the state lock: the directory can be opened again (and fails again).
        assertThatThrownBy(this::openStore).isInstanceOf(JournalCorruptException.class);
    }

    @Test
    void aDamagedSnapshotRefusesToStart() throws IOException {
        try (DefaultApiStore store = openStore(new FileJournal.Options(1 << 20, 3))) {
            writeSome(store, 0, 5);
        }
        Path snapshot = StateFiles.snapshots(dir).getLast().path();
        RecordFormat.Record chunk = records(snapshot).get(1);
        flipByte(snapshot, chunk.offset() + RecordFormat.HEADER + 20);

        assertThatThrownBy(this::openStore).isInstanceOfSatisfying(JournalCorruptException.class, e -> {
            assertThat(e.file()).isEqualTo(snapshot);
            assertThat(e.offset()).isEqualTo(chunk.offset());
        });
    }

    @Test
    void aTruncatedSnapshotRefusesToStart() throws IOException {
        try (DefaultApiStore store = openStore(new FileJournal.Options(1 << 20, 3))) {
            writeSome(store, 0, 5);
        }
        Path snapshot = StateFiles.snapshots(dir).getLast().path();
        truncate(snapshot, Files.size(snapshot) - 7);
        assertThatThrownBy(this::openStore).isInstanceOfSatisfying(JournalCorruptException.class,
                e -> assertThat(e.file()).isEqualTo(snapshot));
    }

    @Test
    void aMissingSnapshotRefusesToStart() throws IOException {
        try (DefaultApiStore store = openStore(new FileJournal.Options(1 << 20, 3))) {
            writeSome(store, 0, 5);
        }
        Files.delete(StateFiles.snapshots(dir).getLast().path());
        Path segment = StateFiles.segments(dir).getLast().path();
        assertThatThrownBy(this::openStore).isInstanceOfSatisfying(JournalCorruptException.class,
                e -> assertThat(e.file()).isEqualTo(segment));
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        try (FileJournal first = FileJournal.open(dir)) {
            assertThatThrownBy(() -> FileJournal.open(dir)).isInstanceOfSatisfying(StateLockedException.class, e -> {
                assertThat(e).hasMessage("state directory " + dir.toAbsolutePath()
                        + " is in use by another knet process (pid " + ProcessHandle.current().pid() + ")");
                assertThat(e.pid()).hasValue(ProcessHandle.current().pid());
            });
        }
        FileJournal.open(dir).close(); // released on close
    }

    @Test
    void appendNeedsRecoveryFirst() {
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThatThrownBy(() -> journal.append(new Journal.Entry(1, List.<HasMetadata>of(), List.of())))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void entriesRoundTripThroughTheCodec() {
        var cnp = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("policy.networking.k8s.io/v1alpha2").withKind("ClusterNetworkPolicy")
                .withNewMetadata().withName("deny-all").endMetadata()
                .addToAdditionalProperties("spec", Map.of("priority", 10, "tier", "Admin")).build();
        var entry = new Journal.Entry(42, List.of(TestObjects.service("default", "web", 80), TestObjects.namespace("a"),
                cnp),
                List.of(new Journal.Removal("v1", "Pod", "default", "old"), new Journal.Removal("v1", "Node", null, "n")));
        Journal.Entry decoded = EntryCodec.entry(EntryCodec.encode(entry));
        assertThat(decoded).isEqualTo(entry);
        assertThat(decoded.written()).extracting(o -> (Object) ResourceKinds.of(o).orElseThrow())
                .containsExactly(ResourceKinds.SERVICE, ResourceKinds.NAMESPACE, ResourceKinds.CLUSTER_NETWORK_POLICY);
    }

    @FunctionalInterface
    interface Corruption {
        void apply(Path file, RecordFormat.Record last) throws IOException;
    }

    private static List<RecordFormat.Record> records(Path file) throws IOException {
        List<RecordFormat.Record> out = new ArrayList<>();
        RecordFormat.scan(file, out::add);
        return out;
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }
}
