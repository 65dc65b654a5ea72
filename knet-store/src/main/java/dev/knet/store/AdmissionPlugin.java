package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Runs inside a write transaction before anything is stored, like an API server's admission chain:
 * may default or allocate fields on the new object (a Service's clusterIP, nodePorts) and may refuse
 * it with {@link ApiException.Invalid}. A refused transaction leaves nothing behind, so a plugin
 * must keep no state of its own except what it can rebuild from the {@link StoreView}.
 */
public interface AdmissionPlugin {

    enum Operation { CREATE, UPDATE, UPDATE_STATUS, DELETE }

    /**
     * @param operation what is happening
     * @param object    the object as it will be stored (mutable; null for DELETE)
     * @param old       the stored object before this write (null for CREATE)
     * @param view      the store as this transaction sees it so far
     */
    void admit(Operation operation, HasMetadata object, HasMetadata old, StoreView view);
}
