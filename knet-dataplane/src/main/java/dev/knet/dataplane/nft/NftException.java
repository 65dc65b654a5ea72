package dev.knet.dataplane.nft;

/** An nft run that failed; keeps nft's own error text so the cause can be read. */
public class NftException extends Exception {

    public enum Kind { NOT_FOUND, EXISTS, SYNTAX, OTHER }

    private final Kind kind;
    private final String stderr;

    public NftException(Kind kind, String message, String stderr) {
        super(message);
        this.kind = kind;
        this.stderr = stderr == null ? "" : stderr;
    }

    public NftException(Kind kind, String message, String stderr, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.stderr = stderr == null ? "" : stderr;
    }

    public Kind kind() {
        return kind;
    }

    public String stderr() {
        return stderr;
    }

    /** Classifies nft's error output the way knftables does: by the errno text nft prints. */
    public static Kind classify(String stderr) {
        String s = stderr == null ? "" : stderr;
        if (s.contains("No such file or directory") || s.contains("does not exist")) {
            return Kind.NOT_FOUND;
        }
        if (s.contains("File exists")) {
            return Kind.EXISTS;
        }
        if (s.contains("syntax error") || s.contains("datatype mismatch") || s.contains("unknown identifier")
                || s.contains("Could not parse") || s.contains("can not use")) {
            return Kind.SYNTAX;
        }
        return Kind.OTHER;
    }
}
