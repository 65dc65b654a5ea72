package dev.knet.store.journal;

import java.io.IOException;
import java.nio.file.Path;

/** The journal could not read or write its files (disk full, permissions, I/O error). */
public final class JournalIoException extends RuntimeException {

    private final Path file;

    public JournalIoException(String action, Path file, IOException cause) {
        super("cannot " + action + " " + file + ": " + cause.getMessage(), cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
