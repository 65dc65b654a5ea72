package dev.knet.cli.cluster;

import dev.knet.cli.CliException;
import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.Status;

/** Turns a Kubernetes Status body into the exception the local cluster would have thrown. */
final class StatusErrors {

    private StatusErrors() {
    }

    static RuntimeException toException(int code, String body) {
        String message;
        try {
            Status status = KnetJson.fromJson(body, Status.class);
            message = status.getMessage();
        } catch (RuntimeException e) {
            message = body;
        }
        return switch (code) {
            case 404 -> new RemoteNotFound(message);
            case 409, 422, 400, 410 -> new CliException(message);
            default -> new CliException("the lab daemon answered " + code + ": " + message);
        };
    }

    /** A 404 from the daemon. */
    static final class RemoteNotFound extends RuntimeException {
        RemoteNotFound(String message) {
            super(message);
        }
    }
}
