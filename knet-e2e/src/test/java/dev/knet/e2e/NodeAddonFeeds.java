package dev.knet.e2e;

import dev.knet.agent.services.ServiceEventSink;
import dev.knet.agent.services.ServiceProxyFeed;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Feeds a node's extra service sinks (health-check node ports, LoadBalancer announcer) from informers of their
 * own, the way the node agent feeds its proxy; closing stops the informers and closes the sinks.
 */
final class NodeAddonFeeds {

    private NodeAddonFeeds() {
    }

    static AutoCloseable start(String apiUrl, String nodeName, List<? extends ServiceEventSink> sinks) {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(apiUrl).withOnlyHttpWatches(true).build()).build();
        ServiceProxyFeed feed = new ServiceProxyFeed(sinks, nodeName);
        List<AutoCloseable> open = new ArrayList<>();
        open.add(client);
        open.add(client.services().inAnyNamespace().inform(handler(feed::serviceUpserted, feed::serviceDeleted), 0));
        feed.servicesListed();
        open.add(client.discovery().v1().endpointSlices().inAnyNamespace()
                .inform(handler(feed::sliceUpserted, feed::sliceDeleted), 0));
        feed.slicesListed();
        return () -> {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
            for (ServiceEventSink s : sinks) {
                if (s instanceof AutoCloseable c) {
                    c.close();
                }
            }
        };
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                upsert.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                delete.accept(obj);
            }
        };
    }
}
