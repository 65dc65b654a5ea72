package dev.knet.store;

/** The journal's files are damaged beyond a torn final write; the store refuses to start on them. */
public final class JournalCorruptException extends RuntimeException {

    public JournalCorruptException(String message) {
        super(message);
    }

    public JournalCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
