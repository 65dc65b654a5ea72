package dev.knet.store.journal;

import dev.knet.store.JournalCorruptException;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes and reads snapshots: a header record, then the objects in chunks, in the journal's record
 * framing. A snapshot appears under its final name only when complete and durable (temp file,
 * fsync, rename, fsync of the directory), so any damage found in one is real corruption.
 */
final class SnapshotFiles {

    private static final int CHUNK = 1_000;

    /** A snapshot's content. */
    record Loaded(List<HasMetadata> objects, long resourceVersion) {
    }

    private SnapshotFiles() {
    }

    static Path write(Path dir, Collection<HasMetadata> objects, long resourceVersion) throws IOException {
        Path target = StateFiles.snapshot(dir, resourceVersion);
        Path temp = target.resolveSibling(target.getFileName() + StateFiles.TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, RecordFormat.frame(EntryCodec.encode(
                    new EntryCodec.SnapshotHeader(EntryCodec.SNAPSHOT_FORMAT, resourceVersion, objects.size()))));
            List<HasMetadata> chunk = new ArrayList<>(CHUNK);
            for (HasMetadata o : objects) {
                chunk.add(o);
                if (chunk.size() == CHUNK) {
                    writeFully(ch, RecordFormat.frame(EntryCodec.encode(new EntryCodec.SnapshotChunk(chunk))));
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                writeFully(ch, RecordFormat.frame(EntryCodec.encode(new EntryCodec.SnapshotChunk(chunk))));
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        StateFiles.syncDirectory(dir);
        return target;
    }

    static Loaded read(Path file) {
        List<HasMetadata> objects = new ArrayList<>();
        EntryCodec.SnapshotHeader[] header = new EntryCodec.SnapshotHeader[1];
        RecordFormat.Scan scan;
        try {
            scan = RecordFormat.scan(file, record -> {
                try {
                    if (header[0] == null) {
                        header[0] = EntryCodec.header(record.payload());
                    } else {
                        objects.addAll(EntryCodec.chunk(record.payload()).objects());
                    }
                } catch (RuntimeException e) {
                    throw new JournalCorruptException(file, record.offset(), "unreadable snapshot record", e);
                }
            });
        } catch (IOException e) {
            throw new JournalIoException("read", file, e);
        }
        if (scan.tail() != RecordFormat.Tail.CLEAN) {
            throw new JournalCorruptException(file, scan.validEnd(), "damaged snapshot record (" + scan.tail() + ")", null);
        }
        if (header[0] == null || header[0].format() != EntryCodec.SNAPSHOT_FORMAT) {
            throw new JournalCorruptException(file, 0, "missing or unknown snapshot header", null);
        }
        if (header[0].objects() != objects.size()) {
            throw new JournalCorruptException(file, scan.validEnd(), "snapshot declares " + header[0].objects()
                    + " objects but holds " + objects.size(), null);
        }
        return new Loaded(objects, header[0].resourceVersion());
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
