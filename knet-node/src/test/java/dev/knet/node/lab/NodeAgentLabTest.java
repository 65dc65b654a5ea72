package dev.knet.node.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.api.ApiServer;
import dev.knet.api.ControlPlaneHooks;
import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import dev.knet.node.NodeAgents;
import dev.knet.node.PodExec;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent on a lab node namespace: knet's CNI plugin in routed mode (in-process), an
 * agnhost netexec pod answering on 8080 from the node namespace, and deletion removing the
 * pod namespace. Needs root; every namespace it makes is named knet-tRAND-... and removed.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NodeAgentLabTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path tmp;

    @Test
    void netexecPodAnswersFromTheNodeAndDeletionRemovesItsNamespace() throws Exception {
        Assumptions.assumeTrue("0".equals(run("id", "-u").strip()), "lab tests need root (network namespaces)");
        String cluster = "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String node = "knet-" + cluster + "-n1";
        ApiStore store = DefaultApiStore.builder().build();
        ApiServer server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(server.url()).withOnlyHttpWatches(true).build()).build();
        NodeAgent agent = null;
        try {
            run("ip", "netns", "add", node);
            run("ip", "-n", node, "link", "set", "lo", "up");
            run("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            String conflist = """
                    {"cniVersion":"1.0.0","name":"knet","plugins":[{"type":"knet","mode":"routed",
                     "nodeNetns":"%s","mtu":1500,"capabilities":{"ips":true}}]}""".formatted(node);
            agent = NodeAgents.start(new NodeAgentConfig(cluster, "n1", node, server.url(), "10.96.0.10",
                    "cluster.local", tmp.resolve("state"), conflist, tmp.resolve("bin")));

            Pod created = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                    .withName("netexec").withNamespace("default").endMetadata().withNewSpec().withNodeName("n1")
                    .addNewContainer().withName("agnhost").withImage("registry.k8s.io/e2e-test-images/agnhost:2.53")
                    .withArgs("netexec", "--http-port=8080").endContainer()
                    .addNewContainer().withName("shell").withImage("busybox:1.36")
                    .withCommand("sh", "-c", "ip -4 -o addr show dev eth0; exec sleep 300").endContainer()
                    .endSpec().build()).create();
            created.setStatus(new PodStatusBuilder().withPhase("Pending").withPodIP("10.244.7.5").build());
            client.pods().inNamespace("default").resource(created).updateStatus();

            await().atMost(WAIT).until(() -> "Running".equals(phase(client)));
            Pod running = client.pods().inNamespace("default").withName("netexec").get();
            String podNetns = PodExec.netnsOf(running).orElseThrow();
            assertThat(podNetns).startsWith("knet-" + cluster + "-p-");
            String answer = NetnsThread.run(node, () -> httpGet("10.244.7.5", 8080, "/hostname"));
            assertThat(answer).contains("200").endsWith("netexec");

            Path log = PodExec.logFile(tmp.resolve("state"), "default", "netexec", "shell");
            await().atMost(WAIT).until(() -> java.nio.file.Files.exists(log)
                    && java.nio.file.Files.readString(log).contains("10.244.7.5"));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (PodExec exec = PodExec.real()) {
                int code = exec.exec(running, podNetns, List.of("ip", "-4", "-o", "addr", "show", "dev", "eth0"),
                        new java.io.PrintStream(out, true), System.err);
                assertThat(code).isZero();
            }
            assertThat(out.toString()).contains("10.244.7.5/32");

            client.pods().inNamespace("default").withName("netexec").delete();

            await().atMost(WAIT).until(() -> !run("ip", "netns", "list").contains(podNetns));
            assertThat(Path.of("/etc/netns", podNetns)).doesNotExist();
        } finally {
            if (agent != null) {
                agent.close();
            }
            client.close();
            server.close();
            store.close();
            for (String line : run("ip", "netns", "list").split("\n")) {
                String name = line.split(" ")[0];
                if (name.startsWith("knet-" + cluster + "-")) {
                    run("ip", "netns", "delete", name);
                }
            }
        }
    }

    private static String phase(KubernetesClient client) {
        Pod p = client.pods().inNamespace("default").withName("netexec").get();
        return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static String httpGet(String host, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }
}
