package dev.knet.lab;

import dev.knet.api.ApiServer;
import dev.knet.control.ControlPlane;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Mutation;
import dev.knet.store.validation.DefaultingPlugin;
import dev.knet.store.validation.ValidationPlugin;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * A whole lab for tests: an in-memory store, the control plane, the API server and a namespace lab
 * with real node agents. The control half (control plane, API, agents) can be stopped with the
 * network kept and started again over the same store, as a restarted daemon would.
 */
final class PodLab implements AutoCloseable {

    static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.47";
    static final int HTTP_PORT = 8080;

    final LabOptions options;
    final ClusterConfig config;
    final ApiStore store;
    private final Path state;
    private ControlPlane controlPlane;
    private ApiServer api;
    private NamespaceLab lab;

    private PodLab(LabOptions options, Path state) {
        this.options = options;
        this.state = state;
        this.config = options.config();
        DefaultApiStore.Builder builder = DefaultApiStore.builder().admission(new DefaultingPlugin());
        ControlPlane.admissionPlugins(config).forEach(builder::admission);
        this.store = builder.admission(new ValidationPlugin()).build();
    }

    /** Starts everything; on failure what was started is removed again. */
    static PodLab start(LabOptions options, Path state) throws Exception {
        PodLab lab = new PodLab(options, state);
        try {
            lab.startControl();
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void startControl() throws Exception {
        controlPlane = ControlPlane.start(store, config, ControlPlane.Options.withNodeAgents());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, controlPlane::awaitIdle);
        lab = NamespaceLab.real(options, state);
        lab.start(api.url(), store, config);
        if (!lab.runsPods()) {
            throw new IllegalStateException("the node agents did not start");
        }
    }

    NamespaceLab lab() {
        return lab;
    }

    LabNames names() {
        return new LabNames(options.clusterName());
    }

    /** Stops agents, API and control plane as a killed daemon would stop: the namespaces stay. */
    void stopKeepingNetwork() {
        lab.close(LabTeardown.KEEP_NETWORK);
        api.close();
        controlPlane.close();
        lab = null;
        api = null;
        controlPlane = null;
    }

    /** Starts control plane, API and lab again over the same store and state folder. */
    void startAgain() throws Exception {
        startControl();
    }

    /** An agnhost netexec pod pinned to {@code node}. */
    static Pod agnhost(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("agnhost").withImage(AGNHOST)
                .withArgs("netexec", "--http-port=" + HTTP_PORT, "--udp-port=8081").endContainer().endSpec()
                .build();
    }

    void create(Pod... pods) {
        store.commit(Arrays.stream(pods).<Mutation>map(Mutation.Create::new).toList());
    }

    Optional<Pod> pod(String name) {
        return store.get(ResourceKinds.POD, "default", name);
    }

    /** Waits until the named pods run (Running, with an IP and their sandbox annotated) and returns them. */
    Map<String, Pod> awaitRunning(Duration atMost, String... names) {
        Map<String, Pod> out = new LinkedHashMap<>();
        await("pods " + List.of(names) + " Running").atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    out.clear();
                    for (String n : names) {
                        pod(n).filter(PodLab::running).ifPresent(p -> out.put(n, p));
                    }
                    return out.size() == names.length;
                });
        return out;
    }

    static boolean running(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                && p.getStatus().getPodIP() != null && p.getMetadata().getAnnotations() != null
                && p.getMetadata().getAnnotations().containsKey("knet.dev/netns");
    }

    static String netns(Pod p) {
        return p.getMetadata().getAnnotations().get("knet.dev/netns");
    }

    static String ip(Pod p) {
        return p.getStatus().getPodIP();
    }

    @Override
    public void close() {
        try {
            if (lab != null) {
                lab.close();
            } else {
                // stopped with the network kept: a throwaway lab object removes it
                NamespaceLab.real(options, state).close();
            }
        } finally {
            if (api != null) {
                api.close();
            }
            if (controlPlane != null) {
                controlPlane.close();
            }
            store.close();
        }
    }
}
