package dev.knet.cli.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.store.ApiStore;

/**
 * The lab's network and node agents, started by the daemon once its API is up. The agents see the
 * cluster only through the API URL (list/watch), as they would a real API server.
 */
public interface LabRuntime extends AutoCloseable {

    /** Whether real node agents run the pods (else the control plane's simulated kubelet does). */
    boolean runsPods();

    void start(String apiUrl, ApiStore store, ClusterConfig config) throws Exception;

    /** Removes everything the lab created. Safe to call twice and after a partial start. */
    @Override
    void close();

    static LabRuntime forMode(LabOptions options) {
        return new ControlPlaneOnly();
    }

    /** No network: the control plane alone, for hosts without root. */
    final class ControlPlaneOnly implements LabRuntime {
        @Override
        public boolean runsPods() {
            return false;
        }

        @Override
        public void start(String apiUrl, ApiStore store, ClusterConfig config) {
        }

        @Override
        public void close() {
        }
    }
}
