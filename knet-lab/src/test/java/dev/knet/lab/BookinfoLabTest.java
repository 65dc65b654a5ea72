package dev.knet.lab;

import dev.knet.api.ApiServer;
import dev.knet.control.ControlPlane;
import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.Dataplane;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKinds;
import dev.knet.node.PodExec;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.validation.DefaultingPlugin;
import dev.knet.store.validation.ValidationPlugin;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The talk's app in a real lab: the Book review Deployments run as pods on two VXLAN nodes, the
 * cluster DNS pods answer behind kube-dns, and productpage reaches reviews by name through its
 * ClusterIP (Service proxy DNAT on the node).
 */
@Tag("lab")
class BookinfoLabTest {

    @Test
    void productpageFindsReviewsByNameAcrossNodes(@TempDir Path state) throws Exception {
        LabHostAssumptions.assumeLab();
        String cluster = LabHostAssumptions.uniqueCluster();
        ClusterConfig config = ClusterConfig.withNodes(cluster, 2);
        DefaultApiStore.Builder builder = DefaultApiStore.builder().admission(new DefaultingPlugin());
        ControlPlane.admissionPlugins(config).forEach(builder::admission);
        NamespaceLab lab = NamespaceLab.real(new LabOptions(cluster, 2, LabMode.VXLAN, false), state);
        try (ApiStore store = builder.admission(new ValidationPlugin()).build();
             ControlPlane cp = ControlPlane.start(store, config, ControlPlane.Options.withNodeAgents());
             ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, cp::awaitIdle)) {
            try {
                lab.start(api.url(), store, config);
                assertThat(lab.runsPods()).as("node agents started").isTrue();
                List<HasMetadata> objects = new ArrayList<>(ClusterDnsAddon.objects(api.url(), config.dnsServiceIp()));
                objects.addAll(Manifests.read(Path.of("..", "examples", "bookinfo")));
                store.commit(objects.stream().<Mutation>map(Mutation.Apply::new).toList());

                await("all pods Running").atMost(Duration.ofMinutes(3)).until(() -> {
                    List<Pod> pods = store.list(ResourceKinds.POD, ListOptions.all()).items();
                    return pods.size() == 8 && pods.stream().allMatch(p -> p.getStatus() != null
                            && "Running".equals(p.getStatus().getPhase()));
                });
                Pod productpage = store.list(ResourceKinds.POD, new ListOptions("default", "app=productpage", null))
                        .items().getFirst();
                String netns = productpage.getMetadata().getAnnotations().get("knet.dev/netns");
                String reviewsIp = store.get(ResourceKinds.SERVICE, "default", "reviews").orElseThrow()
                        .getSpec().getClusterIP();

                await("reviews resolves by its short name").atMost(Duration.ofSeconds(60))
                        .until(() -> run(netns, "dig", "+search", "+short", "+time=2", "+tries=1", "reviews").strip(),
                                answer -> answer.equals(reviewsIp));
                // a process in the pod (curl, glibc's resolver and the pod's resolv.conf) finds reviews by its short name
                await("curl http://reviews:9080 from productpage's pod").atMost(Duration.ofSeconds(60))
                        .until(() -> run(netns, "curl", "-s", "-m", "8", "http://reviews:9080/reviews/0"),
                                body -> body.contains("\"reviews\""));
                // what `knet exec POD -- dig +search productpage` runs: the pod's resolv.conf expands the short name
                String productpageIp = store.get(ResourceKinds.SERVICE, "default", "productpage").orElseThrow()
                        .getSpec().getClusterIP();
                try (PodExec exec = PodExec.real()) {
                    await("knet exec productpage -- dig +search productpage").atMost(Duration.ofSeconds(60))
                            .until(() -> execIn(exec, productpage, netns, "dig", "+search", "+short", "+time=2",
                                    "+tries=1", "productpage").strip(), answer -> answer.equals(productpageIp));
                }
                await("productpage shows reviews it fetched by name").atMost(Duration.ofSeconds(60))
                        .until(() -> run(netns, "curl", "-s", "-m", "8", "http://localhost:9080/productpage"),
                                page -> page.contains("reviews-v"));
            } finally {
                lab.close();
            }
        }
        assertThat(Dataplane.real().netns().list()).noneMatch(ns -> ns.startsWith("knet-" + cluster + "-"));
    }

    private static String execIn(PodExec exec, Pod pod, String netns, String... argv) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        exec.exec(pod, netns, List.of(argv), print, print);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String run(String netns, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
