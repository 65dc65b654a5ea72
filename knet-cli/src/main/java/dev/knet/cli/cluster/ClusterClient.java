package dev.knet.cli.cluster;

import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/**
 * What the CLI needs of a cluster: the Kubernetes API operations. Two implementations: the
 * control plane run inside the command over the state directory (no lab), and the REST API of a
 * running lab daemon.
 */
public interface ClusterClient extends AutoCloseable {

    /** What apply did to one object, in kubectl's words. */
    enum ApplyOutcome { CREATED, CONFIGURED, UNCHANGED }

    record Applied(HasMetadata object, ApplyOutcome outcome) {
    }

    /**
     * Applies all objects or none, and returns once the control plane has processed the change
     * (pods placed and addressed, Services allocated, EndpointSlices written).
     */
    List<Applied> apply(List<HasMetadata> objects);

    <T extends HasMetadata> List<T> list(ResourceKind<T> kind, String namespace, String labelSelector);

    <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name);

    /** Deletes; returns false when there was no such object. Waits for the control plane like apply. */
    boolean delete(ResourceKind<?> kind, String namespace, String name);

    @Override
    void close();
}
