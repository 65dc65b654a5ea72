package dev.knet.workloads.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;

import static dev.knet.model.InformerHandlers.upsertOrDelete;

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
                client.namespaces().inform(upsertOrDelete(index::upsert, index::remove)),
                client.services().inAnyNamespace().inform(upsertOrDelete(index::upsert, index::remove)),
                client.discovery().v1().endpointSlices().inAnyNamespace().inform(upsertOrDelete(index::upsert, index::remove)),
                client.pods().inAnyNamespace().inform(upsertOrDelete(index::upsert, index::remove))));
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        client.close();
    }
}
