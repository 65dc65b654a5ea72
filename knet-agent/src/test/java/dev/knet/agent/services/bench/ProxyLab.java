package dev.knet.agent.services.bench;

import dev.knet.agent.services.EndpointInfo;
import dev.knet.agent.services.NodeInfo;
import dev.knet.agent.services.Protocol;
import dev.knet.agent.services.ServiceInfo;
import dev.knet.agent.services.ServiceKey;
import dev.knet.agent.services.ServiceProxy;
import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.dataplane.nft.LibNftables;
import dev.knet.model.net.Cidr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The smallest lab a ClusterIP needs, for benchmarks: a node namespace where the knet Service proxy programs
 * nftables through libnftables, a client pod namespace and a server pod namespace, each pod behind a veth into
 * the node, which routes between them (client 10.244.1.10 via 10.244.1.1, server 10.244.2.10 via 10.244.2.1).
 * Everything lives in namespaces {@code knet-<tag>-node|client|server}; {@link #close()} deletes them whatever
 * happened before, and the accept loops it started end with their sockets.
 */
final class ProxyLab implements AutoCloseable {

    static final String CLIENT_IP = "10.244.1.10";
    static final String SERVER_IP = "10.244.2.10";
    /** The benchmarked Service's VIP; synthetic Services take the addresses after it. */
    static final Cidr VIPS = Cidr.parse("10.96.0.0/16");
    /** Synthetic endpoints: never connected to, so they need not exist. */
    static final Cidr FAKE_PODS = Cidr.parse("172.16.0.0/12");

    final String node;
    final String client;
    final String server;
    private final LibNftables nft;
    private final ServiceProxy proxy;
    private final List<AutoCloseable> closers = new ArrayList<>();

    private ProxyLab(String tag) throws Exception {
        String prefix = "knet-" + tag + "-";
        node = prefix + "node";
        client = prefix + "client";
        server = prefix + "server";
        boolean built = false;
        try {
            for (String ns : List.of(node, client, server)) {
                sh("ip", "netns", "add", ns);
                closers.add(() -> sh("ip", "netns", "delete", ns));
                sh("ip", "-n", ns, "link", "set", "lo", "up");
            }
            sh("ip", "netns", "exec", node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            pod(client, "vc", CLIENT_IP, "10.244.1.1");
            pod(server, "vs", SERVER_IP, "10.244.2.1");
            nft = new LibNftables(node);
            closers.add(nft);
            NodeInfo info = new NodeInfo("node-a", List.of("198.18.0.2"), Cidr.parse("10.244.1.0/24"),
                    Cidr.parse("10.244.0.0/16"), "eth0");
            // No minimum interval: a benchmark wants each batch in the kernel as soon as it is handed over.
            proxy = new ServiceProxy(info, nft, new SimpleMeterRegistry(),
                    new ServiceProxy.Config(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ZERO));
            closers.add(proxy);
            built = true;
        } finally {
            if (!built) {
                close();
            }
        }
    }

    /** A lab under a fresh random tag ({@code knet-b<hex>-...}). */
    static ProxyLab start() throws Exception {
        return new ProxyLab("b" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24)));
    }

    private void pod(String pod, String hostSide, String ip, String gateway) throws Exception {
        sh("ip", "-n", node, "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", pod);
        sh("ip", "-n", node, "addr", "add", gateway + "/24", "dev", hostSide);
        sh("ip", "-n", node, "link", "set", hostSide, "up");
        sh("ip", "-n", pod, "addr", "add", ip + "/24", "dev", "eth0");
        sh("ip", "-n", pod, "link", "set", "eth0", "up");
        sh("ip", "-n", pod, "route", "add", "default", "via", gateway);
    }

    /** One port of the benchmarked Service: its port on the VIP and the server pod's port behind it. */
    record PortMap(int port, int target) {
    }

    /**
     * Programs {@code total} Services in one full sync: the first, at {@link #VIPS}' first address with
     * {@code ports}, has the server pod as its one endpoint; the others are synthetic, each with
     * {@code fakeEndpoints} endpoints. Returns when the sync is in the kernel.
     */
    void program(int total, int fakeEndpoints, PortMap... ports) throws Exception {
        List<ServiceInfo.Port> benchPorts = new ArrayList<>();
        Map<String, Integer> targets = new java.util.HashMap<>();
        for (int i = 0; i < ports.length; i++) {
            benchPorts.add(new ServiceInfo.Port("p" + i, Protocol.TCP, ports[i].port(), 0));
            targets.put("p" + i, ports[i].target());
        }
        for (int s = 0; s < total; s++) {
            ServiceKey key = new ServiceKey("bench", "svc-" + s);
            proxy.onServiceUpdate(ServiceInfo.clusterIp(key, vip(s),
                    s == 0 ? benchPorts : List.of(new ServiceInfo.Port("p", Protocol.TCP, 80, 0))));
            List<EndpointInfo> eps = new ArrayList<>();
            if (s == 0) {
                eps.add(new EndpointInfo(SERVER_IP, targets, EndpointInfo.Conditions.READY, "node-a", true));
            } else {
                for (int e = 0; e < fakeEndpoints; e++) {
                    eps.add(new EndpointInfo(FAKE_PODS.addressStringAt(1 + (long) s * fakeEndpoints + e), Map.of("p", 8080),
                            EndpointInfo.Conditions.READY, "node-b", false));
                }
            }
            proxy.onEndpointsUpdate(key, eps);
        }
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (proxy.status().syncs() == 0 || proxy.status().appliedGeneration() < 0) {
            if (proxy.status().failures() > 0) {
                throw new IllegalStateException("the proxy's sync failed: " + proxy.status());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the proxy did not sync in 5 minutes: " + proxy.status());
            }
            Thread.sleep(50); // a bench polls; tests use Awaitility
        }
    }

    static String vip(int service) {
        return VIPS.addressStringAt(service + 1);
    }

    ServiceProxy.SyncStatus status() {
        return proxy.status();
    }

    /** How many synthetic backend addresses the kernel holds (a check that the big table really is loaded). */
    long fakeBackendsInKernel() throws Exception {
        String out = capture("ip", "netns", "exec", node, "nft", "list", "table", "ip", "knet-services");
        // Every synthetic backend is "a.b.c.d . 8080" with a.b.c.d in FAKE_PODS (172.16.0.0/12).
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b172\\.(1[6-9]|2\\d|3[01])\\.\\d+\\.\\d+ \\. 8080").matcher(out);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** A server pod socket that accepts and closes every connection (a thread per lab, ended on close). */
    void acceptAndClose(int port) throws Exception {
        ServerSocket socket = NetnsThread.run(server, () -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port), 4096);
            return s;
        });
        closers.add(socket);
        Thread.ofPlatform().daemon().name("knet-bench-accept").start(() -> {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    // Nothing to say: the client resets at once, so neither side keeps TIME_WAIT state.
                    c.shutdownOutput();
                } catch (IOException e) {
                    // closed by close(), or a client reset: either way the next accept decides
                }
            }
        });
    }

    /** Starts a process inside a pod namespace; it is destroyed on close. */
    Process spawn(String netns, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        closers.add(() -> {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        });
        return p;
    }

    static String capture(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    private static void sh(String... cmd) throws Exception {
        capture(cmd);
    }

    @Override
    public void close() {
        // Reverse order: processes and sockets first, then the proxy and libnftables, the namespaces last.
        for (AutoCloseable c : closers.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup step failed (continuing): " + e);
            }
        }
        closers.clear();
    }
}
