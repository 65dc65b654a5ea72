package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real packets: a node namespace routing between two pod namespaces over veths, the generated ruleset
 * loaded into the node, and TCP connects that the policy allows or denies. Everything lives in namespaces
 * this test creates and removes.
 */
@Tag("lab")
class RealPacketLabTest {

    private static final String SERVER = """
            import socket, threading
            def serve(port):
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(('0.0.0.0', port)); s.listen(16)
                while True:
                    c, _ = s.accept(); c.close()
            for p in (80, 8080):
                threading.Thread(target=serve, args=(p,), daemon=True).start()
            threading.Event().wait(60)
            """;

    private static String objects(String n) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: x}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: x, labels: {app: a}}
                spec: {nodeName: %1$s, containers: [{name: c, image: i}]}
                status: {podIP: 10.250.1.2}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b, namespace: x, labels: {app: b}}
                spec: {nodeName: %1$s, containers: [{name: c, image: i}]}
                status: {podIP: 10.250.2.2}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: b-from-a-on-80, namespace: x}
                spec:
                  podSelector: {matchLabels: {app: b}}
                  ingress: [{from: [{podSelector: {matchLabels: {app: a}}}], ports: [{port: 80}]}]
                """.formatted(n);
    }

    @Test
    void tcpConnectsFollowThePolicy() throws Exception {
        assumeTrue(PolicyLabTest.labAvailable(), "needs root (to create network namespaces) and the nft binary");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 for the TCP server and client");
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
        String node = "knet-pe-" + id + "-node";
        String a = "knet-pe-" + id + "-a";
        String b = "knet-pe-" + id + "-b";
        String vethA = "pe" + id + "a";
        String vethB = "pe" + id + "b";
        List<String> created = new ArrayList<>();
        Process server = null;
        try {
            for (String ns : List.of(node, a, b)) {
                run("ip", "netns", "add", ns);
                created.add(ns);
                run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            run("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            plug(node, vethA, a, "10.250.1");
            plug(node, vethB, b, "10.250.2");
            server = new ProcessBuilder("ip", "netns", "exec", b, "python3", "-c", SERVER).inheritIO().start();

            var generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons());
            var ruleset = generator.generate(Scenario.parse(objects(node)), node,
                    pod -> pod.getMetadata().getName().equals("a") ? vethA : vethB);
            new NftCommand(node).run(ruleset.fullTransaction());

            // the server may take a moment to listen: allowed connects are awaited, the denied one is not
            await().atMost(Duration.ofSeconds(30)).until(() -> connect(a, "10.250.2.2", 80));
            await().atMost(Duration.ofSeconds(30)).until(() -> connect(node, "10.250.2.2", 8080));
            assertThat(connect(a, "10.250.2.2", 8080)).as("a -> b:8080 is not allowed").isFalse();
            // the SYN died in the policy's drop rule (not at a closed port): its counter moved
            String counters = new NftCommand(node).list(PolicyLayout.TABLE);
            assertThat(counters).containsPattern("counter packets [1-9]\\d* bytes \\d+ log prefix \"knet-drop:");
        } finally {
            if (server != null) {
                server.destroyForcibly().waitFor();
            }
            for (String ns : created) {
                new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
            }
        }
    }

    /** A veth from the node to the pod: node side PREFIX.1/24, pod side PREFIX.2/24 with a default route. */
    private static void plug(String node, String veth, String pod, String prefix) throws Exception {
        run("ip", "-n", node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod);
        run("ip", "-n", node, "addr", "add", prefix + ".1/24", "dev", veth);
        run("ip", "-n", node, "link", "set", veth, "up");
        run("ip", "-n", pod, "addr", "add", prefix + ".2/24", "dev", "eth0");
        run("ip", "-n", pod, "link", "set", "eth0", "up");
        run("ip", "-n", pod, "route", "add", "default", "via", prefix + ".1");
    }

    private static boolean connect(String ns, String ip, int port) throws Exception {
        String client = "import socket; socket.create_connection(('" + ip + "', " + port + "), timeout=1).close()";
        return new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", client)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    }

    private static void run(String... command) throws Exception {
        int rc = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + rc);
        }
    }
}
