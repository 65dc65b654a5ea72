package dev.knet.store.journal;

import dev.knet.store.Journal;
import dev.knet.store.JournalCorruptException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A write-ahead log in a state directory: each {@link Entry} is one framed record (see
 * {@link RecordFormat}) forced to disk before {@link #append} returns, so one fdatasync per
 * transaction. Recovery loads the newest snapshot and replays the log segments after it. A torn
 * final record (a crash during the write) was never acknowledged: it is cut off with a warning.
 * Any other damage could lose acknowledged writes, so recovery refuses with
 * {@link JournalCorruptException} naming the file and offset.
 *
 * <p>Only one process may write a state directory: {@link #open} takes an exclusive lock on
 * {@code stateDir/lock} and fails with {@link StateLockedException} when someone holds it.
 */
public final class FileJournal implements Journal {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);

    /**
     * When to ask for a snapshot: once the current log segment holds this many bytes or entries.
     * Recovery time grows with the log; a snapshot costs one write of every object.
     */
    public record Options(long maxLogBytes, long maxLogEntries) {
        public static final Options DEFAULTS = new Options(64L << 20, 50_000);

        public Options {
            if (maxLogBytes <= 0 || maxLogEntries <= 0) {
                throw new IllegalArgumentException("snapshot thresholds must be positive");
            }
        }
    }

    private final Path dir;
    private final Options options;
    private final StateLock lock;
    private FileChannel log;
    private Path logFile;
    private long logBytes;
    private long logEntries;
    private boolean recovered;
    /** Set when a failed append could not be undone: the file's end is unknown, so stop writing. */
    private IOException failed;
    private boolean closed;

    private FileJournal(Path dir, Options options, StateLock lock) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
    }

    /** Opens (creating if needed) a state directory with the default snapshot thresholds. */
    public static FileJournal open(Path stateDir) {
        return open(stateDir, Options.DEFAULTS);
    }

    /**
     * Opens a state directory and locks it for this process.
     *
     * @throws StateLockedException when another process (or another journal in this JVM) holds it
     * @throws JournalIoException   when the directory cannot be created or locked
     */
    public static FileJournal open(Path stateDir, Options options) {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(options, "options");
        Path dir = stateDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalIoException("create", dir, e);
        }
        return new FileJournal(dir, options, StateLock.acquire(dir));
    }

    public Path stateDir() {
        return dir;
    }

    @Override
    public synchronized Recovered recover() {
        if (closed || recovered) {
            throw new IllegalStateException("recover() runs once, on an open journal");
        }
        long started = System.nanoTime();
        StateFiles.deleteTemporaries(dir);
        ReplayedState state = new ReplayedState();
        List<StateFiles.Versioned> snapshots = StateFiles.snapshots(dir);
        String from = "empty state";
        if (!snapshots.isEmpty()) {
            StateFiles.Versioned latest = snapshots.getLast();
            SnapshotFiles.Loaded loaded = SnapshotFiles.read(latest.path());
            state.load(loaded.objects(), loaded.resourceVersion());
            from = latest.path().getFileName() + " (" + loaded.objects().size() + " objects)";
        }
        List<StateFiles.Versioned> segments = StateFiles.segments(dir);
        int lastEntries = 0;
        for (int i = 0; i < segments.size(); i++) {
            StateFiles.Versioned segment = segments.get(i);
            if (segment.version() > state.version()) {
                // The segment holds only entries after its base: the ones up to it are gone.
                throw new JournalCorruptException(segment.path(), 0, "log starts after resourceVersion "
                        + segment.version() + " but the state before it ends at " + state.version()
                        + " (a snapshot or log segment is missing)", null);
            }
            lastEntries = replay(segment.path(), state, i == segments.size() - 1);
        }
        try {
            if (segments.isEmpty()) {
                startSegment(state.version());
            } else {
                openForAppend(segments.getLast().path(), lastEntries);
            }
        } catch (IOException e) {
            throw new JournalIoException("open the log in", dir, e);
        }
        recovered = true;
        LOG.info("recovered {} objects at resourceVersion {} from {} and {} log entries in {} ms",
                state.recovered().objects().size(), state.version(), from, state.applied(),
                (System.nanoTime() - started) / 1_000_000);
        return state.recovered();
    }

    /** Replays one segment into the state; returns how many complete records it holds. */
    private int replay(Path segment, ReplayedState state, boolean last) {
        RecordFormat.Scan scan;
        try {
            scan = RecordFormat.scan(segment, record -> {
                Entry entry;
                try {
                    entry = EntryCodec.entry(record.payload());
                } catch (RuntimeException e) {
                    throw new JournalCorruptException(segment, record.offset(), "unreadable log entry", e);
                }
                state.apply(entry);
            });
        } catch (IOException e) {
            throw new JournalIoException("read", segment, e);
        }
        switch (scan.tail()) {
            case CLEAN -> {
            }
            case CORRUPT -> throw new JournalCorruptException(segment, scan.validEnd(),
                    "bad record followed by valid ones (acknowledged writes would be lost)", null);
            case TORN -> {
                if (!last) {
                    throw new JournalCorruptException(segment, scan.validEnd(),
                            "damaged end of a log segment that is not the newest", null);
                }
                LOG.warn("log {} ends in a torn write at offset {} ({} bytes after the last complete record);"
                                + " it was never acknowledged and is cut off", segment, scan.validEnd(),
                        scan.fileSize() - scan.validEnd());
                truncate(segment, scan.validEnd());
            }
        }
        return scan.records();
    }

    private static void truncate(Path segment, long size) {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            throw new JournalIoException("truncate", segment, e);
        }
    }

    private void openForAppend(Path segment, long entries) throws IOException {
        FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE);
        ch.position(ch.size());
        switchTo(ch, segment, entries);
    }

    private void startSegment(long base) throws IOException {
        Path segment = StateFiles.segment(dir, base);
        // CREATE_NEW: a segment for this base cannot exist yet (the store snapshots only after an
        // append, so each snapshot's version is new); if one did, failing beats overwriting it.
        FileChannel ch = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ch.force(true);
        StateFiles.syncDirectory(dir);
        switchTo(ch, segment, 0);
    }

    private void switchTo(FileChannel ch, Path segment, long entries) throws IOException {
        FileChannel old = log;
        log = ch;
        logFile = segment;
        logBytes = ch.size();
        logEntries = entries;
        if (old != null) {
            old.close();
        }
    }

    @Override
    public synchronized void append(Entry entry) {
        requireWritable();
        ByteBuffer record = RecordFormat.frame(EntryCodec.encode(entry));
        long before = logBytes;
        try {
            SnapshotFiles.writeFully(log, record);
            log.force(false); // fdatasync: data and the file size, not the timestamps
        } catch (IOException e) {
            undo(before, e);
            throw new JournalIoException("append to", logFile, e);
        }
        logBytes += record.capacity();
        logEntries++;
    }

    /** Cuts a half-written record off so later appends stay readable; if even that fails, stop writing. */
    private void undo(long size, IOException cause) {
        try {
            log.truncate(size);
            log.position(size);
            log.force(false);
        } catch (IOException e) {
            cause.addSuppressed(e);
            failed = cause;
        }
    }

    private void requireWritable() {
        if (closed) {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
        if (!recovered) {
            throw new IllegalStateException("recover() must run before append()");
        }
        if (failed != null) {
            throw new JournalIoException("append to (after an earlier failure)", logFile, failed);
        }
    }

    @Override
    public synchronized boolean wantsSnapshot() {
        return recovered && !closed && failed == null
                && (logBytes >= options.maxLogBytes() || logEntries >= options.maxLogEntries());
    }

    /**
     * Writes every object at {@code resourceVersion} as a new snapshot, starts a new log segment
     * and deletes the files the snapshot replaces. The store calls it between transactions, so the
     * current segment holds nothing newer than the snapshot. A failure leaves the log as it was
     * (still complete) and is logged, not thrown: the write that triggered it is already durable.
     */
    @Override
    public synchronized void snapshot(Collection<HasMetadata> objects, long resourceVersion) {
        requireWritable();
        long started = System.nanoTime();
        Path written;
        try {
            written = SnapshotFiles.write(dir, objects, resourceVersion);
            startSegment(resourceVersion);
        } catch (IOException e) {
            LOG.warn("snapshot at resourceVersion {} in {} failed; the log keeps growing until the next try",
                    resourceVersion, dir, e);
            // Ask again only after as much log again as the thresholds allow.
            logBytes = 0;
            logEntries = 0;
            return;
        }
        deleteReplaced(written);
        LOG.info("snapshot of {} objects at resourceVersion {} written in {} ms", objects.size(), resourceVersion,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void deleteReplaced(Path snapshot) {
        try {
            for (StateFiles.Versioned s : StateFiles.snapshots(dir)) {
                if (!s.path().equals(snapshot)) {
                    Files.deleteIfExists(s.path());
                }
            }
            for (StateFiles.Versioned s : StateFiles.segments(dir)) {
                if (!s.path().equals(logFile)) {
                    Files.deleteIfExists(s.path());
                }
            }
            StateFiles.syncDirectory(dir);
        } catch (IOException | JournalIoException e) {
            // Left-over files are harmless: recovery skips entries a newer snapshot covers.
            LOG.warn("cannot delete files replaced by snapshot {}", snapshot, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (log != null) {
                log.close();
            }
        } catch (IOException e) {
            LOG.warn("closing {} failed", logFile, e);
        } finally {
            lock.close();
        }
    }
}
