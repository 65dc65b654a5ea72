package dev.knet.policy.matrix;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Manifests name Deployments, not pods: offline, each Deployment stands for its replicas as pods
 * named DEPLOYMENT-0, -1, ... with the template's labels and containers (so named ports resolve).
 * Deployments whose pods are already among the objects (a live cluster's state) are left alone.
 */
final class WorkloadPods {

    private WorkloadPods() {
    }

    static List<HasMetadata> expand(List<HasMetadata> objects) {
        Set<String> owners = new HashSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof Pod) {
                for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
                    owners.add(o.getMetadata().getNamespace() + "/" + ref.getName());
                }
                String hash = o.getMetadata().getLabels() == null ? null
                        : o.getMetadata().getLabels().get("pod-template-hash");
                if (hash != null && o.getMetadata().getName() != null) {
                    // deployment pods are named DEPLOYMENT-HASH-SUFFIX
                    String name = o.getMetadata().getName();
                    int at = name.indexOf("-" + hash + "-");
                    if (at > 0) {
                        owners.add(o.getMetadata().getNamespace() + "/" + name.substring(0, at));
                    }
                }
            }
        }
        List<HasMetadata> out = new ArrayList<>(objects);
        for (HasMetadata o : objects) {
            if (!(o instanceof Deployment d) || d.getSpec() == null || d.getSpec().getTemplate() == null) {
                continue;
            }
            String ns = d.getMetadata().getNamespace() == null ? "default" : d.getMetadata().getNamespace();
            if (owners.contains(ns + "/" + d.getMetadata().getName()) || owners.contains("null/" + d.getMetadata().getName())) {
                continue;
            }
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            var template = d.getSpec().getTemplate();
            for (int i = 0; i < replicas; i++) {
                out.add(new PodBuilder()
                        .withMetadata(new ObjectMetaBuilder().withName(d.getMetadata().getName() + "-" + i)
                                .withNamespace(ns)
                                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                                .build())
                        .withSpec(template.getSpec())
                        .build());
            }
        }
        return out;
    }
}
