package dev.knet.proxy.server;

/** Forwarding to an endpoint failed; kind decides the status the client sees. */
final class UpstreamException extends Exception {

    enum Kind {
        /** Connect or response timeout: 504. */
        TIMEOUT,
        /** Refused, reset, closed early, malformed or oversized response: 502. */
        FAILED
    }

    private final Kind kind;

    UpstreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
