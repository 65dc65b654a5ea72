package dev.knet.api;

import dev.knet.store.ApiException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;

/** The Status object the Kubernetes API returns for failures (and for successful deletes). */
final class StatusBody {

    private StatusBody() {
    }

    static Status failure(ApiException e) {
        return new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
                .withMessage(e.getMessage()).withReason(e.reason()).withCode(e.code()).build();
    }

    static Status failure(int code, String reason, String message) {
        return new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
                .withMessage(message).withReason(reason).withCode(code).build();
    }

    static Status success() {
        return new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Success").build();
    }
}
