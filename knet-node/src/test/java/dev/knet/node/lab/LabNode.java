package dev.knet.node.lab;

import static org.awaitility.Awaitility.await;

import dev.knet.api.ApiServer;
import dev.knet.api.ControlPlaneHooks;
import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import dev.knet.node.NodeAgentDeps;
import dev.knet.node.NodeAgents;
import dev.knet.node.PodExec;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;

/**
 * One lab node for the agent's lab tests: an in-process API server, a node namespace named
 * knet-tRAND-n1 (forwarding on) and the real agent on it. Closing stops the agent and deletes every
 * namespace whose name starts with knet-tRAND-.
 */
final class LabNode implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    final String cluster = "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    final String node = "knet-" + cluster + "-n1";
    final ApiStore store = DefaultApiStore.builder().build();
    final ApiServer server;
    final KubernetesClient client;
    final Path stateDir;
    private NodeAgent agent;

    private LabNode(Path dir) throws Exception {
        this.stateDir = dir.resolve("state");
        this.server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(server.url()).withOnlyHttpWatches(true).build()).build();
    }

    /** Skips the calling test unless it runs as root. */
    static LabNode open(Path dir) throws Exception {
        Assumptions.assumeTrue("0".equals(run("id", "-u").strip()), "lab tests need root (network namespaces)");
        LabNode lab = new LabNode(dir);
        try {
            run("ip", "netns", "add", lab.node);
            run("ip", "-n", lab.node, "link", "set", "lo", "up");
            run("ip", "netns", "exec", lab.node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            return lab;
        } catch (Exception e) {
            lab.close();
            throw e;
        }
    }

    /** knet's plugin in routed mode, in-process; the pod address comes from the pod's status. */
    String knetRoutedConflist() {
        return """
                {"cniVersion":"1.0.0","name":"knet","plugins":[{"type":"knet","mode":"routed",
                 "nodeNetns":"%s","mtu":1500,"capabilities":{"ips":true}}]}""".formatted(node);
    }

    NodeAgentConfig config(String conflist, Path cniBinDir) {
        return new NodeAgentConfig(cluster, "n1", node, server.url(), "10.96.0.10", "cluster.local", stateDir,
                conflist, cniBinDir);
    }

    /** Starts the real agent over {@code config}, its deps adjusted by {@code deps}. */
    NodeAgent start(NodeAgentConfig config, UnaryOperator<NodeAgentDeps> deps) {
        agent = NodeAgents.start(config, deps.apply(NodeAgents.realDeps(config)));
        return agent;
    }

    /** Creates a pod on n1 with {@code ip} as its address (null: the CNI plugins choose). */
    Pod createPod(Pod pod, String ip) {
        Pod created = client.pods().inNamespace("default").resource(pod).create();
        if (ip != null) {
            created.setStatus(new PodStatusBuilder().withPhase("Pending").withPodIP(ip).build());
            created = client.pods().inNamespace("default").resource(created).updateStatus();
        }
        return created;
    }

    Pod pod(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    /** Waits for Running and returns the pod's address. */
    String awaitRunning(String name) {
        await().atMost(WAIT).until(() -> {
            Pod p = pod(name);
            return p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                    && p.getStatus().getPodIP() != null;
        });
        return pod(name).getStatus().getPodIP();
    }

    String netnsOf(String name) {
        return PodExec.netnsOf(pod(name)).orElseThrow();
    }

    Path log(String pod, String container) {
        return PodExec.logFile(stateDir, "default", pod, container);
    }

    /** An HTTP GET made from inside {@code netns}; the whole response, or an IOException. */
    static String httpGetFrom(String netns, String host, int port, String path) throws Exception {
        return NetnsThread.run(netns, () -> httpGet(host, port, path, 5000));
    }

    /** Whether a TCP connect from {@code netns} succeeds within a second. */
    static boolean connects(String netns, String host, int port) throws Exception {
        return NetnsThread.run(netns, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static String httpGet(String host, int port, String path, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            client.close();
            server.close();
            store.close();
            for (String line : run("ip", "netns", "list").split("\n")) {
                String name = line.split(" ")[0];
                if (name.startsWith("knet-" + cluster + "-")) {
                    run("ip", "netns", "delete", name);
                    run("rm", "-rf", "/etc/netns/" + name);
                }
            }
        }
    }
}
