package dev.knet.store;

import java.nio.file.Path;

/** The journal's files are damaged beyond a torn final write; the store refuses to start on them. */
public final class JournalCorruptException extends RuntimeException {

    private final Path file;
    private final long offset;

    public JournalCorruptException(String message) {
        this(message, null);
    }

    public JournalCorruptException(String message, Throwable cause) {
        super(message, cause);
        this.file = null;
        this.offset = -1;
    }

    /** Damage at a byte offset of one file: both are named so an operator can inspect or cut it. */
    public JournalCorruptException(Path file, long offset, String detail, Throwable cause) {
        super("journal file " + file + " is corrupt at offset " + offset + ": " + detail, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file, or null when the damage is not in one file. */
    public Path file() {
        return file;
    }

    /** The byte offset of the damage in {@link #file()}, or -1 when unknown. */
    public long offset() {
        return offset;
    }
}
