package dev.knet.e2e;

import dev.knet.api.ApiServer;
import dev.knet.control.ControlPlane;
import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.Dataplane;
import dev.knet.lab.LabHost;
import dev.knet.lab.LabMode;
import dev.knet.lab.LabOptions;
import dev.knet.lab.NamespaceLab;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.validation.DefaultingPlugin;
import dev.knet.store.validation.ValidationPlugin;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import com.sun.net.httpserver.HttpServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One whole cluster in namespaces for a test class: store, control plane with node agents, API server and a
 * two-node VXLAN lab, plus each node's health-check node ports and LoadBalancer announcer (fed by their own
 * informers until the node agent runs them). Clients probe from inside a namespace through {@link NetnsClient}.
 */
public final class ServiceLab implements AutoCloseable {

    static final List<String> NODES = List.of("node-1", "node-2");
    static final List<String> NODE_IPS = List.of("198.18.0.11", "198.18.0.12");
    static final String EXTERNAL_IP = "198.18.0.2";

    private final Path state;
    private final ApiStore store;
    private final ControlPlane controlPlane;
    private ApiServer api; // replaced by restartApiServer
    private final NamespaceLab lab;
    private final List<AutoCloseable> extras = new ArrayList<>();

    private ServiceLab(Path state, ApiStore store, ControlPlane controlPlane, ApiServer api, NamespaceLab lab) {
        this.state = state;
        this.store = store;
        this.controlPlane = controlPlane;
        this.api = api;
        this.lab = lab;
    }

    /** Starts everything, or aborts the calling test with the reason this host cannot run a lab. */
    public static ServiceLab start() throws Exception {
        LabHost.whyNot().ifPresent(reason -> Assumptions.abort("lab test skipped: " + reason));
        byte[] bytes = new byte[2];
        ThreadLocalRandom.current().nextBytes(bytes);
        String cluster = "e" + HexFormat.of().formatHex(bytes);
        ClusterConfig config = ClusterConfig.withNodes(cluster, NODES.size());
        DefaultApiStore.Builder builder = DefaultApiStore.builder().admission(new DefaultingPlugin());
        ControlPlane.admissionPlugins(config).forEach(builder::admission);
        Path state = Files.createTempDirectory("knet-e2e-");
        ApiStore store = builder.admission(new ValidationPlugin()).build();
        ControlPlane cp = null;
        ApiServer api = null;
        NamespaceLab lab = NamespaceLab.real(new LabOptions(cluster, NODES.size(), LabMode.VXLAN, false), state.resolve("lab"));
        ServiceLab out = null;
        try {
            cp = ControlPlane.start(store, config, ControlPlane.Options.withNodeAgents());
            ControlPlane hooks = cp;
            api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, hooks::awaitIdle);
            out = new ServiceLab(state, store, cp, api, lab);
            lab.start(api.url(), store, config);
            if (!lab.runsPods()) {
                throw new IllegalStateException("the lab's node agents did not start");
            }
            return out;
        } catch (Exception | Error e) {
            if (out != null) {
                out.close();
            } else {
                lab.close();
                if (api != null) {
                    api.close();
                }
                if (cp != null) {
                    cp.close();
                }
                store.close();
            }
            throw e;
        }
    }

    ApiStore store() {
        return store;
    }

    String nodeNetns(String node) {
        return lab.names().node(node);
    }

    String externalNetns() {
        return lab.names().external();
    }

    String prefix() {
        return lab.names().prefix();
    }

    public void apply(String yaml) {
        List<HasMetadata> objects = Manifests.parse(yaml, "test");
        store.commit(objects.stream().<Mutation>map(Mutation.Apply::new).toList());
    }

    Pod pod(String name) {
        return store.get(ResourceKinds.POD, "default", name).orElseThrow(() -> new AssertionError("no pod " + name));
    }

    Optional<Pod> findPod(String name) {
        return store.get(ResourceKinds.POD, "default", name);
    }

    public String podNetns(String name) {
        return pod(name).getMetadata().getAnnotations().get("knet.dev/netns");
    }

    String podIp(String name) {
        return pod(name).getStatus().getPodIP();
    }

    public boolean running(String name) {
        return findPod(name).map(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                && p.getStatus().getPodIP() != null && p.getMetadata().getAnnotations() != null
                && p.getMetadata().getAnnotations().containsKey("knet.dev/netns")).orElse(false);
    }

    Service service(String name) {
        return store.get(ResourceKinds.SERVICE, "default", name).orElseThrow(() -> new AssertionError("no service " + name));
    }

    /**
     * Stops the API server and starts a new one on the same address over the same store, as a kube-apiserver
     * restart: every watch is cut, and the node agents' informers must find their way back on their own.
     */
    public void restartApiServer() throws IOException {
        InetSocketAddress address = api.address();
        api.close();
        api = ApiServer.start(address, store, controlPlane::awaitIdle);
    }

    /** The API server's base URL. */
    public String apiUrl() {
        return api.url();
    }

    /** Restarts the Service proxy of one node's agent, as a kube-proxy restart would. */
    public void restartServiceProxy(String node) {
        lab.agent(node).orElseThrow(() -> new IllegalStateException("no node agent runs on " + node))
                .restartServiceProxy();
    }

    public String clusterIp(String name) {
        return service(name).getSpec().getClusterIP();
    }

    int nodePort(String service, int index) {
        return service(service).getSpec().getPorts().get(index).getNodePort();
    }

    void deleteService(String name) {
        store.commit(List.of(new Mutation.Delete(ResourceKinds.SERVICE, "default", name, Mutation.Grace.IMMEDIATE)));
    }

    void deletePod(String name) {
        store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", name, Mutation.Grace.GRACEFUL)));
    }

    List<Pod> pods() {
        return store.list(ResourceKinds.POD, ListOptions.all()).items();
    }

    /** GET from inside a namespace: "ok STATUS BODY", "refused", "timeout", ... */
    public String http(String netns, String url, double timeoutSeconds) {
        return NetnsClient.http(netns, url, timeoutSeconds);
    }

    String udp(String netns, String host, int port, String message, double timeoutSeconds) {
        return NetnsClient.udp(netns, host, port, message, timeoutSeconds);
    }

    /** COUNT requests, each on a new connection: "BODY=N ..." (failures as "!refused", "!timeout", ...). */
    public Map<String, Integer> spread(String netns, String url, int count, double timeoutSeconds) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String r = http(netns, url, timeoutSeconds);
            seen.merge(r.startsWith("ok 200 ") ? r.substring(7) : "!" + r.split(" ")[0], 1, Integer::sum);
        }
        return seen;
    }

    /** Starts an HTTP server answering with the client's address (stopped on close). */
    void serveClientIp(String netns, int port) throws Exception {
        HttpServer server = NetnsClient.serveClientIp(netns, port);
        extras.add(() -> server.stop(0));
    }

    /** Runs a command inside a namespace and returns its output (stdout and stderr). */
    String exec(String netns, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + cmd, e);
        }
    }

    List<String> leftoverNamespaces() {
        return Dataplane.real().netns().list().stream().filter(ns -> ns.startsWith(prefix())).toList();
    }

    @Override
    public void close() {
        for (AutoCloseable c : extras.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // keep tearing down: the namespaces must go whatever failed before
            }
        }
        lab.close();
        api.close();
        controlPlane.close();
        store.close();
        try (Stream<Path> files = Files.walk(state)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
