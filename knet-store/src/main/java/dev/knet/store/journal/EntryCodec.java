package dev.knet.store.journal;

import dev.knet.model.KnetJson;
import dev.knet.store.Journal;
import io.fabric8.kubernetes.api.model.HasMetadata;
import tools.jackson.core.type.TypeReference;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON payloads of journal records, written with the model's own mapper so every kind (and
 * GenericKubernetesResource) round-trips exactly as the API serves it.
 */
final class EntryCodec {

    /** The first record of a snapshot: its version and how many objects the chunks after it hold. */
    record SnapshotHeader(int format, long resourceVersion, long objects) {
    }

    /** A slice of a snapshot's objects. */
    record SnapshotChunk(List<HasMetadata> objects) {
    }

    static final int SNAPSHOT_FORMAT = 1;

    private static final TypeReference<Journal.Entry> ENTRY = new TypeReference<>() { };
    private static final TypeReference<SnapshotHeader> HEADER = new TypeReference<>() { };
    private static final TypeReference<SnapshotChunk> CHUNK = new TypeReference<>() { };

    private EntryCodec() {
    }

    static byte[] encode(Object payload) {
        return KnetJson.toJson(payload).getBytes(StandardCharsets.UTF_8);
    }

    static Journal.Entry entry(byte[] payload) {
        return decode(payload, ENTRY);
    }

    static SnapshotHeader header(byte[] payload) {
        return decode(payload, HEADER);
    }

    static SnapshotChunk chunk(byte[] payload) {
        return decode(payload, CHUNK);
    }

    private static <T> T decode(byte[] payload, TypeReference<T> type) {
        T value = KnetJson.serialization().unmarshal(new ByteArrayInputStream(payload), type);
        if (value == null) {
            throw new IllegalArgumentException("empty record payload");
        }
        return value;
    }
}
