package dev.knet.policy.observe;

import dev.knet.policy.PolicyEngine;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;

/**
 * The policy model over the live cluster objects, rebuilt at most once a second: a drop storm must not list the
 * whole cluster per packet, and a second-old model is fresh enough to explain a drop. When a refresh fails the
 * previous model is kept (a stream should survive an API hiccup); only the first read's failure is thrown.
 */
final class ModelCache {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final Supplier<List<HasMetadata>> objects;
    private final InstantSource clock;
    private ClusterModel model;
    private Instant builtAt;

    ModelCache(Supplier<List<HasMetadata>> objects, InstantSource clock) {
        this.objects = objects;
        this.clock = clock;
    }

    synchronized PolicyEngine engine() {
        return model().engine();
    }

    /** The model with the Services' ClusterIPs and the Nodes' addresses, from the same read of the objects. */
    synchronized ClusterModel model() {
        Instant now = clock.instant();
        if (model == null || !now.isBefore(builtAt.plus(MAX_AGE))) {
            try {
                model = ClusterModel.of(objects.get());
            } catch (RuntimeException e) {
                if (model == null) {
                    throw e;
                }
            }
            builtAt = now; // also after a failure: retry in a second, not on every packet
        }
        return model;
    }
}
