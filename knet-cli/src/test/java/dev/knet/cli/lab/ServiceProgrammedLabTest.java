package dev.knet.cli.lab;

import dev.knet.cli.CliRun;
import dev.knet.cli.KnetHome;
import dev.knet.dataplane.Dataplane;
import dev.knet.lab.LabHost;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `knet get svc -o wide` against a real lab: ENDPOINTS lists the ready pods, PROGRAMMED counts the nodes whose
 * services table (read back from the kernel) matches them, follows an endpoint going away, says "-" for a
 * headless Service, and a Service without endpoints counts as programmed where nodes reject it. `knet status`
 * shows each node's last proxy sync, scraped from the agent's metrics inside the node. `knet trace` walks a
 * connection through the live objects.
 */
@Tag("lab")
class ServiceProgrammedLabTest {

    @Test
    void wideServicesShowEndpointsAndWhatEveryNodeProgrammed(@TempDir Path tmp) throws Exception {
        LabHost.whyNot().ifPresent(reason -> Assumptions.abort("lab test skipped: " + reason));
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        String cluster = "s" + HexFormat.of().formatHex(random);
        System.setProperty("knet.java", ProcessHandle.current().info().command().orElse("java"));
        Path clusterDir = KnetHome.resolve(cluster, null).clusterDir();
        RootNetworkSnapshot before = RootNetworkSnapshot.take();
        Path manifests = tmp.resolve("web.yaml");
        Files.writeString(manifests, pod("a", "node-1") + "---\n" + pod("b", "node-2") + "---\n" + SERVICES);
        try {
            CliRun up = CliRun.of("--name", cluster, "up", "--nodes", "2", "--mode", "routed");
            assertThat(up.code()).as(up.err()).isZero();
            CliRun apply = CliRun.of("--name", cluster, "apply", "-f", manifests.toString());
            assertThat(apply.code()).as(apply.err()).isZero();

            await("both pods behind web, programmed on both nodes").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> row(cluster, "web"), r -> r.isPresent() && r.get().endsWith("2/2 nodes")
                            && r.get().split(":8080").length == 3);
            assertThat(row(cluster, "nobody")).get().asString().contains("<none>").endsWith("2/2 nodes");
            await("the NodePort and the Local LoadBalancer programmed on both nodes").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> row(cluster, "web-np").orElse("").endsWith("2/2 nodes")
                            && row(cluster, "web-local").orElse("").endsWith("2/2 nodes"));
            assertThat(row(cluster, "headless")).get().asString().endsWith(" -");
            // knet trace on the live cluster: the name through the pod's search path, the Service, both endpoints,
            // the routed hop across nodes from the Node objects
            CliRun trace = CliRun.of("--name", cluster, "trace", "default/a", "web");
            assertThat(trace.code()).as(trace.out() + trace.err()).isZero();
            assertThat(trace.out()).contains("web.default.svc.cluster.local. A ", "(ClusterIP of Service default/web)",
                    "node node-1's Service proxy (nftables) DNATs to one of 2 ready endpoint(s)",
                    "route: back to the pod itself (hairpin)", "route: node node-1 routes ",
                    " via node node-2's InternalIP ",
                    "ALLOWED: 2 of 2");
            CliRun status = CliRun.of("--name", cluster, "status");
            assertThat(status.out().lines().filter(l -> l.contains("service proxy synced ")).count())
                    .as(status.out()).isEqualTo(2);
            CliRun plain = CliRun.of("--name", cluster, "get", "svc");
            assertThat(plain.out()).contains("web").doesNotContain("PROGRAMMED", "ENDPOINTS");

            assertThat(CliRun.of("--name", cluster, "delete", "pod", "b").code()).isZero();
            await("web down to one endpoint, programmed as such on both nodes").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> row(cluster, "web"), r -> r.isPresent() && r.get().endsWith("2/2 nodes")
                            && r.get().split(":8080").length == 2);
            // node-2 has no endpoint left: under Local policy it drops external traffic, which is what it should do
            await("the Local LoadBalancer still programmed on both nodes").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> row(cluster, "web-local").orElse("").endsWith("2/2 nodes")
                            && row(cluster, "web-np").orElse("").endsWith("2/2 nodes"));
        } finally {
            CliRun down = CliRun.of("--name", cluster, "down");
            assertThat(down.code()).as(down.err()).isZero();
        }
        assertThat(Dataplane.real().netns().list()).noneMatch(ns -> ns.startsWith("knet-" + cluster + "-"));
        assertThat(clusterDir).doesNotExist();
        assertThat(RootNetworkSnapshot.take()).as("the host's own network after knet down").isEqualTo(before);
    }

    /** The wide row of one Service, without trailing blanks. */
    private static Optional<String> row(String cluster, String service) {
        CliRun get = CliRun.of("--name", cluster, "get", "svc", "-o", "wide");
        return get.out().lines().filter(l -> l.startsWith(service + " ")).map(String::strip).findFirst();
    }

    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: nobody, namespace: default}
            spec:
              selector: {app: nobody}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-np, namespace: default}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-local, namespace: default}
            spec:
              type: LoadBalancer
              externalTrafficPolicy: Local
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: headless, namespace: default}
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            """;

    private static String pod(String name, String node) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default, labels: {app: web}}
                spec:
                  nodeName: %s
                  containers:
                  - name: agnhost
                    image: registry.k8s.io/e2e-test-images/agnhost:2.47
                    args: [netexec, --http-port=8080]
                """.formatted(name, node);
    }
}
