package dev.knet.policy.enforce;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A generated cluster: {@code pods} pods over 10 namespaces, labelled app=a0..a19 and tier=t0..t4, all on
 * node "n0" with veth "v<i>"; {@code policies} NetworkPolicies, each selecting one app in one namespace and
 * allowing one tier from every namespace plus an ipBlock, on a port and a range.
 */
public final class Synthetic {

    private Synthetic() {
    }

    public static List<HasMetadata> cluster(int pods, int policies) {
        List<HasMetadata> out = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            out.add(new NamespaceBuilder().withNewMetadata().withName("ns" + n).withLabels(Map.of("team", "t" + (n % 3)))
                    .endMetadata().build());
        }
        for (int i = 0; i < pods; i++) {
            out.add(new PodBuilder().withNewMetadata().withNamespace("ns" + (i % 10)).withName("p" + i)
                    .withLabels(Map.of("app", "a" + (i / 10 % 20), "tier", "t" + (i % 5))).endMetadata()
                    .withNewSpec().withNodeName("n0").addNewContainer().withName("c").addNewPort().withName("http")
                    .withContainerPort(8080).endPort().endContainer().endSpec()
                    .withNewStatus().withPodIP("10." + (64 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256)).endStatus()
                    .build());
        }
        for (int p = 0; p < policies; p++) {
            out.add(new NetworkPolicyBuilder().withNewMetadata().withNamespace("ns" + (p % 10)).withName("np" + p).endMetadata()
                    .withNewSpec().withNewPodSelector().addToMatchLabels("app", "a" + (p % 20)).endPodSelector()
                    .withPolicyTypes("Ingress", "Egress")
                    .addNewIngress()
                    .withFrom(new NetworkPolicyPeerBuilder().withNewNamespaceSelector().addToMatchLabels("team", "t" + (p % 3))
                                    .endNamespaceSelector().withNewPodSelector().addToMatchLabels("tier", "t" + (p % 5))
                                    .endPodSelector().build(),
                            new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("172.16." + (p % 256) + ".0/24")
                                    .withExcept("172.16." + (p % 256) + ".128/25").endIpBlock().build())
                    .addNewPort().withPort(new IntOrString(80 + p % 7)).withProtocol("TCP").endPort()
                    .addNewPort().withPort(new IntOrString(9000)).withEndPort(9000 + p % 50).withProtocol("TCP").endPort()
                    .addNewPort().withPort(new IntOrString("http")).endPort()
                    .endIngress()
                    .addNewEgress().addNewTo().withNewPodSelector().addToMatchLabels("app", "a" + ((p + 1) % 20))
                    .endPodSelector().endTo().addNewPort().withPort(new IntOrString(5432)).endPort().endEgress()
                    .endSpec().build());
        }
        return out;
    }

    public static String veth(io.fabric8.kubernetes.api.model.Pod pod) {
        return "v" + pod.getMetadata().getName().substring(1);
    }
}
