package dev.knet.store;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

import java.util.Map;

/** Small API objects for store tests. */
public final class TestObjects {

    private TestObjects() {
    }

    public static Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    public static Pod pod(String namespace, String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("registry.local/app:1")
                .endContainer().endSpec().build();
    }

    public static Pod pod(String namespace, String name) {
        return pod(namespace, name, Map.of());
    }

    /** A pod already scheduled onto a node: its deletion is graceful. */
    public static Pod boundPod(String namespace, String name, String node) {
        Pod p = pod(namespace, name);
        p.getSpec().setNodeName(node);
        return p;
    }

    public static Service service(String namespace, String name, int port) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().addToSelector("app", name).addNewPort().withPort(port).endPort().endSpec().build();
    }

    public static ConfigMap configMap(String namespace, String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .addToData("key", value).build();
    }
}
