package dev.knet.store;

/** One invalid field: its path ("spec.ports[0].port"), the bad value (may be null) and why. */
public record FieldError(String path, Object value, String reason) {

    public static FieldError required(String path) {
        return new FieldError(path, null, "Required value");
    }

    public static FieldError invalid(String path, Object value, String reason) {
        return new FieldError(path, value, reason);
    }

    @Override
    public String toString() {
        return value == null ? path + ": " + reason : path + ": Invalid value: \"" + value + "\": " + reason;
    }
}
