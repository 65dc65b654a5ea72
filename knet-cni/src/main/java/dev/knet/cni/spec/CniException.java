package dev.knet.cni.spec;

/** A CNI operation failed with a spec error object, from a plugin or from the runtime itself. */
public class CniException extends RuntimeException {

    private final CniError error;

    public CniException(CniError error, Throwable cause) {
        super("CNI error " + error.code() + ": " + error.msg() + (error.details() == null ? "" : " (" + error.details() + ")"),
                cause);
        this.error = error;
    }

    public CniException(CniError error) {
        this(error, null);
    }

    public CniError error() {
        return error;
    }

    public int code() {
        return error.code();
    }
}
