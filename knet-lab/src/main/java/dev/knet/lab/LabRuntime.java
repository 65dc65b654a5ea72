package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.store.ApiStore;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

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
    default void close() {
        close(LabTeardown.REMOVE_NETWORK);
    }

    /** Stops the lab; with {@link LabTeardown#KEEP_NETWORK} its namespaces stay for a later start to adopt. */
    void close(LabTeardown teardown);

    /** A namespace lab with state under the system temp folder; see {@link #forMode(LabOptions, Path)}. */
    static LabRuntime forMode(LabOptions options) {
        return forMode(options, Path.of(System.getProperty("java.io.tmpdir"), "knet-lab-" + options.clusterName()));
    }

    /** The namespace lab when this host can build one (root, iproute2), else the control plane alone. */
    static LabRuntime forMode(LabOptions options, Path stateDir) {
        Optional<String> whyNot = LabHost.whyNot();
        if (whyNot.isPresent()) {
            LoggerFactory.getLogger(LabRuntime.class).warn("lab {} runs the control plane only: {}",
                    options.clusterName(), whyNot.get());
            return new ControlPlaneOnly();
        }
        return NamespaceLab.real(options, stateDir);
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
        public void close(LabTeardown teardown) {
        }
    }
}
