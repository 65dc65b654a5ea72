package dev.knet.store;

import dev.knet.model.ObjectKey;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the API refuses, typed like the Kubernetes API's status reasons. Each carries the HTTP
 * code a REST front end answers with, so the CLI, a daemon and fabric8 clients agree.
 */
public abstract sealed class ApiException extends RuntimeException {

    protected ApiException(String message) {
        super(message);
    }

    /** The HTTP status code of this failure. */
    public abstract int code();

    /** The Kubernetes Status reason ("NotFound", "Conflict", ...). */
    public abstract String reason();

    public static final class NotFound extends ApiException {
        public NotFound(ObjectKey key) {
            super(key.kind().toLowerCase() + " \"" + key.name() + "\" not found"
                    + (key.namespace().isEmpty() ? "" : " in namespace \"" + key.namespace() + "\""));
        }

        @Override public int code() { return 404; }
        @Override public String reason() { return "NotFound"; }
    }

    public static final class AlreadyExists extends ApiException {
        public AlreadyExists(ObjectKey key) {
            super(key + " already exists");
        }

        @Override public int code() { return 409; }
        @Override public String reason() { return "AlreadyExists"; }
    }

    /** A write based on a stale resourceVersion (optimistic concurrency). */
    public static final class Conflict extends ApiException {
        public Conflict(ObjectKey key, String given, String current) {
            super("Operation cannot be fulfilled on " + key + ": the object has been modified"
                    + " (resourceVersion " + given + ", current " + current + "); please apply your changes"
                    + " to the latest version and try again");
        }

        public Conflict(String message) {
            super(message);
        }

        @Override public int code() { return 409; }
        @Override public String reason() { return "Conflict"; }
    }

    /** A watch or list from a resourceVersion the store no longer holds events for. */
    public static final class Gone extends ApiException {
        public Gone(long requested, long oldest) {
            super("too old resource version: " + requested + " (" + oldest + ")");
        }

        @Override public int code() { return 410; }
        @Override public String reason() { return "Expired"; }
    }

    /** An invalid object: names the object, and every bad field with its path and reason. */
    public static final class Invalid extends ApiException {
        private final ObjectKey key;
        private final List<FieldError> errors;

        public Invalid(ObjectKey key, List<FieldError> errors) {
            super(key + " is invalid: " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
            this.key = key;
            this.errors = List.copyOf(errors);
        }

        public ObjectKey key() {
            return key;
        }

        public List<FieldError> errors() {
            return errors;
        }

        @Override public int code() { return 422; }
        @Override public String reason() { return "Invalid"; }
    }

    /** A request the store cannot take (an unknown kind, a cluster-scoped object given a namespace...). */
    public static final class BadRequest extends ApiException {
        public BadRequest(String message) {
            super(message);
        }

        @Override public int code() { return 400; }
        @Override public String reason() { return "BadRequest"; }
    }

    /** The store cannot write: its journal failed. Nothing of the write was applied. */
    public static final class Unavailable extends ApiException {
        public Unavailable(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }

        @Override public int code() { return 503; }
        @Override public String reason() { return "ServiceUnavailable"; }
    }
}
