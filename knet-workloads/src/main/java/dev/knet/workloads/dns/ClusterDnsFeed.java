package dev.knet.workloads.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;

/**
 * What feeds the cluster DNS, as CoreDNS's kubernetes plugin is fed: list/watch of Namespaces,
 * Services, EndpointSlices and Pods from an API server, each event applied to the index at once.
 */
public final class ClusterDnsFeed implements AutoCloseable {

    private final KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers;

    private ClusterDnsFeed(KubernetesClient client, List<SharedIndexInformer<?>> informers) {
        this.client = client;
        this.informers = informers;
    }

    /** Starts the watches of the API server at {@code apiUrl}; their events go to {@code index}. */
    public static ClusterDnsFeed start(String apiUrl, ClusterDnsIndex index) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(apiUrl)
                .withOnlyHttpWatches(true).build()).build();
        return new ClusterDnsFeed(client, List.of(
                client.namespaces().inform(handler(index)),
                client.services().inAnyNamespace().inform(handler(index)),
                client.discovery().v1().endpointSlices().inAnyNamespace().inform(handler(index)),
                client.pods().inAnyNamespace().inform(handler(index))));
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(ClusterDnsIndex index) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                index.upsert(object);
            }

            @Override
            public void onUpdate(T old, T object) {
                index.upsert(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                index.remove(object);
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        client.close();
    }
}
