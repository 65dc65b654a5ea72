package dev.knet.workloads;

import dev.knet.workloads.agnhost.Netexec;
import dev.knet.workloads.agnhost.NetexecOptions;
import dev.knet.workloads.net.PodHttpClient;
import dev.knet.workloads.pod.NetnsExecutor;
import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.PodSockets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** netexec started inside a scratch network namespace answers there, and only there. */
@Tag("lab")
class NetexecNetnsLabTest {

    @Test
    void servesInsideItsNamespaceAndNotInTheRootOne() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "lab test skipped: needs root to create a network namespace");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "lab test skipped: iproute2 'ip' is not installed");
        String netns = "knet-wl-" + UUID.randomUUID().toString().substring(0, 8);
        // a port free in the root namespace, so "refused there" proves the socket lives in the pod
        int httpPort = TestPods.freePort();
        int udpPort = TestPods.freePort();
        ip("netns", "add", netns);
        Netexec netexec = null;
        try {
            ip("-n", netns, "link", "set", "lo", "up");
            PodSockets sockets = new PodSockets(netns, NetnsExecutor.kernel(), TestPods.LOOPS);
            PodContext pod = PodContext.of("default", "lab-pod", "lab-pod", InetAddress.getLoopbackAddress(), netns,
                    sockets, StubResolver.empty(), Map.of());
            netexec = new Netexec(NetexecOptions.parse(List.of("--http-port=" + httpPort, "--udp-port=" + udpPort)));
            netexec.start(pod);

            String inside = new PodHttpClient(sockets, StubResolver.empty())
                    .get("127.0.0.1", httpPort, "/hostname", Map.of(), Duration.ofSeconds(5)).body();
            int tcpInside = ExecCommands.tryRunBuiltin(List.of("/agnhost", "connect", "127.0.0.1:" + httpPort,
                    "--timeout=2s"), pod, System.out, System.err).orElseThrow();
            int udpInside = ExecCommands.tryRunBuiltin(List.of("/agnhost", "connect", "127.0.0.1:" + udpPort,
                    "--protocol=udp", "--timeout=2s"), pod, System.out, System.err).orElseThrow();
            int fromRoot = ExecCommands.tryRunBuiltin(List.of("/agnhost", "connect", "127.0.0.1:" + httpPort,
                    "--timeout=2s"), TestPods.pod("root-client"), System.out, new PrintStream(PrintStream.nullOutputStream()))
                    .orElseThrow();

            String hostNs = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            for (io.netty.util.concurrent.EventExecutor loop : TestPods.LOOPS.group()) {
                assertThat(loop.submit(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString()).get())
                        .as("event loop threads stay in the host namespace").isEqualTo(hostNs);
            }
            assertThat(inside).isEqualTo("lab-pod");
            assertThat(tcpInside).isZero();
            assertThat(udpInside).isZero();
            assertThat(fromRoot).as("the root namespace's loopback has no such listener").isEqualTo(1);
            assertThatThrownBy(() -> new Socket("127.0.0.1", httpPort).close()).isInstanceOf(IOException.class);
        } finally {
            if (netexec != null) {
                netexec.stop();
            }
            ip("netns", "del", netns);
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(argv + " timed out");
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException(argv + " failed: " + output);
        }
    }
}
