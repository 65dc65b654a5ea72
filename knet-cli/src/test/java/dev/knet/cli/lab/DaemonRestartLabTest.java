package dev.knet.cli.lab;

import dev.knet.cli.CliRun;
import dev.knet.cli.KnetHome;
import dev.knet.dataplane.Dataplane;
import dev.knet.lab.LabHost;
import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CLI's side of a daemon restart: `knet up`, pods on two nodes, the daemon SIGKILLed (it leaves
 * daemon.json and every namespace), `knet status` says so, `knet up` again adopts the lab (pods keep
 * their IPs and reach each other), and `knet down` removes everything, leaving the host's own
 * network (links, addresses, routes, nft ruleset) as it was before `knet up`.
 */
@Tag("lab")
class DaemonRestartLabTest {

    @Test
    void upAfterSigkillAdoptsTheLabAndDownRemovesIt(@TempDir Path tmp) throws Exception {
        LabHost.whyNot().ifPresent(reason -> Assumptions.abort("lab test skipped: " + reason));
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        String cluster = "c" + HexFormat.of().formatHex(random);
        // the daemon runs on this very JVM binary and classpath
        System.setProperty("knet.java", ProcessHandle.current().info().command().orElse("java"));
        Path clusterDir = KnetHome.resolve(cluster, null).clusterDir();
        RootNetworkSnapshot before = RootNetworkSnapshot.take();
        Path pods = tmp.resolve("pods.yaml");
        Files.writeString(pods, pod("a", "node-1") + "---\n" + pod("b", "node-2"));
        try {
            CliRun up = CliRun.of("--name", cluster, "up", "--nodes", "2", "--mode", "routed");
            assertThat(up.code()).as(up.err()).isZero();
            assertThat(CliRun.of("--name", cluster, "apply", "-f", pods.toString()).code()).isZero();
            Map<String, Pod> first = awaitRunning(cluster);

            DaemonInfo daemon = DaemonInfo.running(clusterDir).orElseThrow();
            ProcessHandle.of(daemon.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs
            ProcessHandle.of(daemon.pid()).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertThat(DaemonInfo.dead(clusterDir)).as("daemon.json outlives the daemon").isPresent();
            CliRun status = CliRun.of("--name", cluster, "status");
            assertThat(status.code()).isNotZero();
            assertThat(status.err()).contains("is not running", "knet up --name " + cluster + " adopts them");

            CliRun again = CliRun.of("--name", cluster, "up");
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out()).contains("restarting it over its state and adopting its");
            assertThat(again.err()).contains("2 nodes, routed");
            Map<String, Pod> after = awaitRunning(cluster);
            assertThat(ip(after.get("a"))).isEqualTo(ip(first.get("a")));
            assertThat(ip(after.get("b"))).isEqualTo(ip(first.get("b")));
            String aNetns = after.get("a").getMetadata().getAnnotations().get("knet.dev/netns");
            await("a reaches b after the restart, unNATed").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> curl(aNetns, "http://" + ip(after.get("b")) + ":8080/clientip"),
                            body -> body.startsWith(ip(after.get("a")) + ":"));
        } finally {
            CliRun down = CliRun.of("--name", cluster, "down");
            assertThat(down.code()).as(down.err()).isZero();
        }
        assertThat(Dataplane.real().netns().list()).noneMatch(ns -> ns.startsWith("knet-" + cluster + "-"));
        assertThat(clusterDir).doesNotExist();
        assertThat(RootNetworkSnapshot.take()).as("the host's own network after knet down").isEqualTo(before);
    }

    private static String pod(String name, String node) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default}
                spec:
                  nodeName: %s
                  containers:
                  - name: agnhost
                    image: registry.k8s.io/e2e-test-images/agnhost:2.47
                    args: [netexec, --http-port=8080, --udp-port=8081]
                """.formatted(name, node);
    }

    private static Map<String, Pod> awaitRunning(String cluster) {
        List<Pod> seen = new ArrayList<>();
        await("pods Running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            CliRun get = CliRun.of("--name", cluster, "get", "pods", "-o", "json");
            if (get.code() != 0) {
                return false;
            }
            List<HasMetadata> items = Manifests.parse(get.out(), "output");
            seen.clear();
            items.stream().map(Pod.class::cast).forEach(seen::add);
            return seen.size() == 2 && seen.stream().allMatch(p -> p.getStatus() != null
                    && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                    && p.getMetadata().getAnnotations() != null
                    && p.getMetadata().getAnnotations().containsKey("knet.dev/netns"));
        });
        return seen.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
    }

    private static String ip(Pod p) {
        return p.getStatus().getPodIP();
    }

    private static String curl(String netns, String url) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", netns, "curl", "-s", "-m", "5", url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.strip();
    }
}
