package dev.knet.control;

import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.AdmissionPlugin;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Journal;
import dev.knet.store.ListOptions;
import dev.knet.store.validation.DefaultingPlugin;
import dev.knet.store.validation.ValidationPlugin;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A store with the allocators and a running control plane, for tests. */
public final class TestCluster implements AutoCloseable {

    public final ClusterConfig config;
    public final DefaultApiStore store;
    public ControlPlane controlPlane;

    public TestCluster(ClusterConfig config, ControlPlane.Options options) {
        this(config, options, Journal.inMemory());
    }

    public TestCluster(ClusterConfig config, ControlPlane.Options options, Journal journal) {
        this.config = config;
        // As the daemon builds it: defaults first, then the allocators, then validation of the result,
        // so every object the controllers write must also pass the store's validation.
        DefaultApiStore.Builder b = DefaultApiStore.builder().journal(journal).admission(new DefaultingPlugin());
        for (AdmissionPlugin p : ControlPlane.admissionPlugins(config)) {
            b.admission(p);
        }
        b.admission(new ValidationPlugin());
        this.store = b.build();
        this.controlPlane = options == null ? null : ControlPlane.start(store, config, options);
    }

    public static TestCluster simulated() {
        return new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.simulated());
    }

    public void awaitIdle() {
        assertThat(controlPlane.awaitIdle(Duration.ofSeconds(20))).as("control plane idle").isTrue();
    }

    public List<Pod> pods() {
        return store.list(ResourceKinds.POD, ListOptions.all()).items();
    }

    public Pod pod(String namespace, String name) {
        return store.get(ResourceKinds.POD, namespace, name).orElse(null);
    }

    public List<EndpointSlice> slicesOf(String namespace, String service) {
        return store.list(ResourceKinds.ENDPOINT_SLICE,
                ListOptions.inNamespace(namespace).withLabels("kubernetes.io/service-name=" + service)).items();
    }

    public static Pod pod(String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("agnhost")
                .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(8080).build())
                .endContainer().endSpec().build();
    }

    public static Service service(String name, Map<String, String> selector, int port, Object targetPort) {
        IntOrString target = targetPort instanceof Integer i ? new IntOrString(i) : new IntOrString((String) targetPort);
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withSelector(selector)
                .withPorts(new ServicePortBuilder().withName("http").withPort(port).withTargetPort(target).build())
                .endSpec().build();
    }

    @Override
    public void close() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        store.close();
    }
}
