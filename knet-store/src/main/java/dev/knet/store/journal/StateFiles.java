package dev.knet.store.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a state directory and their names. A log segment {@code wal-<base>.log} holds the
 * entries written after resourceVersion {@code base}; a snapshot {@code snapshot-<rv>.snap} holds
 * every object at {@code rv}. Versions are zero-padded so names sort like the numbers.
 */
final class StateFiles {

    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");
    static final String TEMP_SUFFIX = ".tmp";

    /** A versioned file of the directory. */
    record Versioned(Path path, long version) {
    }

    private StateFiles() {
    }

    static Path segment(Path dir, long base) {
        return dir.resolve("wal-%020d.log".formatted(base));
    }

    static Path snapshot(Path dir, long version) {
        return dir.resolve("snapshot-%020d.snap".formatted(version));
    }

    static List<Versioned> segments(Path dir) {
        return list(dir, SEGMENT);
    }

    static List<Versioned> snapshots(Path dir) {
        return list(dir, SNAPSHOT);
    }

    /** Leftovers of a snapshot that a crash interrupted before its rename: never valid. */
    static void deleteTemporaries(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(TEMP_SUFFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new JournalIoException("clean up", dir, e);
        }
    }

    /**
     * Makes the directory's entries (a created, renamed or deleted file) durable: on Linux a new
     * file's name is only safe once its directory has been fsynced too.
     */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static List<Versioned> list(Path dir, Pattern pattern) {
        List<Versioned> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Versioned(p, Long.parseLong(m.group(1))));
                }
            }
        } catch (IOException e) {
            throw new JournalIoException("list", dir, e);
        }
        out.sort(Comparator.comparingLong(Versioned::version));
        return out;
    }
}
