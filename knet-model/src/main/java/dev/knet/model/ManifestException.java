package dev.knet.model;

/** A manifest that could not be read: names the source (file and document) and the reason. */
public final class ManifestException extends RuntimeException {

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }

    public ManifestException(String message) {
        super(message);
    }
}
