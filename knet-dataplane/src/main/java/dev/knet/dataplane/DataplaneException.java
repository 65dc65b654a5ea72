package dev.knet.dataplane;

import java.util.List;
import java.util.Locale;

/**
 * A dataplane operation failed. The kind is parsed from the tool's message (or set by a fake) so
 * callers can treat "already exists" and "not found" as the idempotency cases they usually are.
 */
public class DataplaneException extends RuntimeException {

    /** The failure classes callers branch on. */
    public enum Kind { NOT_FOUND, EXISTS, INVALID, PERMISSION, IO, OTHER }

    private final Kind kind;
    private final List<String> argv;
    private final int exitCode;
    private final String stderr;

    public DataplaneException(Kind kind, String message, List<String> argv, int exitCode, String stderr,
                              Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    public DataplaneException(Kind kind, String message) {
        this(kind, message, List.of(), -1, "", null);
    }

    public static DataplaneException of(CommandResult result) {
        String err = result.stderr().strip();
        return new DataplaneException(classify(err), String.join(" ", result.argv()) + " failed (exit "
                + result.exitCode() + "): " + err, result.argv(), result.exitCode(), result.stderr(), null);
    }

    /** Maps iproute2/sysctl messages onto kinds; the wording is stable across iproute2 releases. */
    static Kind classify(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        if (s.contains("file exists") || s.contains("already exists") || s.contains("already assigned")) {
            return Kind.EXISTS;
        }
        if (s.contains("cannot find device") || s.contains("does not exist") || s.contains("no such")
                || s.contains("cannot open network namespace") || s.contains("not found")
                || s.contains("cannot assign requested address") || s.contains("no such process")) {
            return Kind.NOT_FOUND;
        }
        if (s.contains("operation not permitted") || s.contains("permission denied")) {
            return Kind.PERMISSION;
        }
        if (s.contains("invalid") || s.contains("error: argument") || s.contains("nexthop has invalid gateway")) {
            return Kind.INVALID;
        }
        return Kind.OTHER;
    }

    public Kind kind() {
        return kind;
    }

    public List<String> argv() {
        return argv;
    }

    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }

    public boolean isNotFound() {
        return kind == Kind.NOT_FOUND;
    }

    public boolean isExists() {
        return kind == Kind.EXISTS;
    }
}
