package dev.knet.policy.matrix;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A generated cluster for the benchmark and the incremental-matrix test (100 pods per namespace). */
public final class SyntheticCluster {

    static final int APPS = 10;
    static final int REPLICAS = 10;
    static final int POLICIES_PER_NAMESPACE = 20;

    private SyntheticCluster() {
    }

    /** NAMESPACES namespaces of 10 apps x 10 replicas, each with its 20 policies. */
    public static List<HasMetadata> cluster(int namespaces) {
        List<HasMetadata> out = new ArrayList<>();
        int ip = 0;
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            out.add(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .withLabels(Map.of("team", "t" + (n % 10), "env", n % 2 == 0 ? "prod" : "dev")).endMetadata().build());
            for (int a = 0; a < APPS; a++) {
                for (int r = 0; r < REPLICAS; r++) {
                    ip++;
                    String name = "app-" + a + "-" + r;
                    out.add(new PodBuilder().withNewMetadata().withNamespace(ns).withName(name)
                            .withLabels(Map.of("app", "app-" + a, "pod", name, "tier", a < 5 ? "front" : "back"))
                            .endMetadata().withNewSpec().addNewContainer().withName("c").addNewPort().withName("http")
                            .withContainerPort(8080).endPort().endContainer().endSpec()
                            .withNewStatus().withPodIP("10." + (ip >> 16) + "." + ((ip >> 8) & 255) + "." + (ip & 255))
                            .endStatus().build());
                }
            }
            out.addAll(policies(ns, n));
        }
        return out;
    }

    /** The 20 policies of one namespace: default deny, app-to-app, team namespace selectors, egress ipBlocks. */
    public static List<NetworkPolicy> policies(String ns, int n) {
        List<NetworkPolicy> out = new ArrayList<>();
        out.add(new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName("default-deny").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build());
        for (int a = 0; a < APPS; a++) {
            out.add(allowFrom(ns, "app-" + a + "-from-next", "app-" + a, "app-" + ((a + 1) % APPS), 80));
        }
        for (int a = 0; a < 5; a++) {
            out.add(new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName("app-" + a + "-from-team").endMetadata()
                    .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", "app-" + a)).endPodSelector()
                    .addNewIngress().withFrom(new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelectorBuilder()
                            .withMatchLabels(Map.of("team", "t" + ((n + a) % 10))).build())
                            .withPodSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("tier")
                                    .withOperator("In").withValues("front").endMatchExpression().build()).build())
                    .withPorts(new NetworkPolicyPortBuilder().withPort(new IntOrString("http")).build()).endIngress()
                    .endSpec().build());
        }
        for (int a = 5; a < 9; a++) {
            out.add(new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName("app-" + a + "-egress").endMetadata()
                    .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", "app-" + a)).endPodSelector()
                    .withPolicyTypes("Egress")
                    .addNewEgress().withPorts(new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build()).endEgress()
                    .addNewEgress().addNewTo().withNewIpBlock().withCidr("10.0.0.0/8").withExcept("10.0." + a + ".0/24").endIpBlock().endTo()
                    .addNewPort().withPort(new IntOrString(80)).withEndPort(8080).endPort().endEgress()
                    .endSpec().build());
        }
        return out.subList(0, POLICIES_PER_NAMESPACE);
    }

    public static NetworkPolicy allowFrom(String ns, String name, String target, String source, int port) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", target)).endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().withMatchLabels(Map.of("app", source)).endPodSelector().endFrom()
                .addNewPort().withPort(new IntOrString(port)).endPort().endIngress().endSpec().build();
    }

}
