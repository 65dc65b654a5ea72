package dev.knet.api;

import java.time.Duration;

/**
 * What the API server asks of the control plane behind it, for knet's own endpoints: waiting
 * until every controller has processed the writes so far (so `knet apply` returns on a settled
 * cluster).
 */
public interface ControlPlaneHooks {

    void awaitIdle(Duration timeout);

    ControlPlaneHooks NONE = timeout -> {
    };
}
