package dev.knet.cli;

import dev.knet.model.Manifests;
import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The walk-through, run in-process against a fresh state directory (no lab, no root). */
class CliFlowTest {

    @TempDir
    Path state;

    private CliRun knet(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--state-dir";
        all[1] = state.resolve("store").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    private static Path bookinfo() {
        Path p = Path.of("..", "examples", "bookinfo");
        assertThat(p).isDirectory();
        return p;
    }

    @Test
    void bookinfoGetsPodIpsClusterIpsAndEndpoints() {
        CliRun apply = knet("apply", "-f", bookinfo().toString());
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("deployment.apps/reviews-v2 created", "service/reviews created");

        List<Node> nodes = items(knet("get", "nodes", "-o", "json"), Node.class);
        Map<String, Cidr> podCidrs = nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(),
                n -> Cidr.parse(n.getSpec().getPodCIDR())));
        CliRun podsJson = knet("get", "pods", "-A", "-o", "json");
        assertThat(dev.knet.model.KnetJson.fromJson(podsJson.out(), io.fabric8.kubernetes.api.model.KubernetesList.class)
                .getKind()).isEqualTo("List");
        List<Pod> pods = items(podsJson, Pod.class);
        assertThat(pods).hasSize(6);
        assertThat(pods).extracting(p -> p.getStatus().getPodIP()).doesNotHaveDuplicates().doesNotContainNull();
        for (Pod p : pods) {
            assertThat(podCidrs.get(p.getSpec().getNodeName()).contains(p.getStatus().getPodIP()))
                    .as("%s in its node's podCIDR", p.getMetadata().getName()).isTrue();
        }
        List<Service> services = items(knet("get", "svc", "-o", "json"), Service.class);
        assertThat(services).extracting(s -> s.getSpec().getClusterIP())
                .allMatch(ip -> Cidr.parse("10.96.0.0/16").contains(ip)).doesNotContain("10.96.0.10");
        List<EndpointSlice> slices = items(knet("get", "endpointslices", "-o", "json"), EndpointSlice.class);
        Map<String, Long> endpointsPerService = slices.stream().collect(Collectors.groupingBy(
                s -> s.getMetadata().getLabels().get("kubernetes.io/service-name"),
                Collectors.summingLong(s -> s.getEndpoints().size())));
        assertThat(endpointsPerService).containsEntry("reviews", 3L).containsEntry("productpage", 1L);

        CliRun table = knet("get", "pods", "-A", "-o", "wide");
        assertThat(table.out().lines().findFirst().orElseThrow())
                .contains("NAMESPACE", "NAME", "READY", "STATUS", "IP", "NODE");
        CliRun svc = knet("get", "svc");
        assertThat(svc.out()).contains("CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "9080/TCP");
    }

    @Test
    void reapplyingIsUnchangedAndStateSurvivesBetweenCommands() {
        assertThat(knet("apply", "-f", bookinfo().toString()).code()).isZero();
        CliRun again = knet("apply", "-f", bookinfo().toString());
        assertThat(again.out()).contains("service/reviews unchanged").doesNotContain("created");
        assertThat(knet("get", "deploy", "reviews-v1").out()).contains("reviews-v1");
    }

    @Test
    void oneBadDocumentAppliesNothing() throws Exception {
        Path bad = state.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: v1
                kind: Service
                metadata: {name: good}
                spec: {selector: {app: x}, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: bad}
                spec: {selector: {app: x}, ports: [{port: 70000}]}
                """);
        CliRun run = knet("apply", "-f", bad.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("The Service \"bad\" is invalid: spec.ports[0].port");
        assertThat(knet("get", "svc", "good").code()).isEqualTo(1);
    }

    @Test
    void deleteRemovesObjectsAndTheirEndpoints() {
        knet("apply", "-f", bookinfo().toString());
        CliRun del = knet("delete", "svc", "ratings");
        assertThat(del.out()).contains("service/ratings deleted");
        assertThat(knet("get", "svc", "ratings").err()).contains("services \"ratings\" not found");
    }

    private <T extends HasMetadata> List<T> items(CliRun run, Class<T> type) {
        assertThat(run.code()).as(run.err()).isZero();
        List<HasMetadata> objects = Manifests.parse(run.out(), "output");
        return objects.stream().map(type::cast).toList();
    }

}
