package dev.knet.cli;

/** A user-facing failure of a command, printed as "error: message". */
public final class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
