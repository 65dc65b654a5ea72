package dev.knet.node;

import dev.knet.agent.services.ServiceProxy;
import dev.knet.agent.services.ServiceProxyFeed;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The node's Service proxy, fed by Service and EndpointSlice informers through {@link ServiceProxyFeed}. */
final class ServiceFeeds implements AutoCloseable {

    private final ServiceProxy proxy;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;

    ServiceFeeds(KubernetesClient client, String nodeName, NodeAgentDeps.NodeServices wiring) {
        this.proxy = new ServiceProxy(wiring.node(), wiring.nft(), wiring.registry(), ServiceProxy.Config.DEFAULT);
        ServiceProxyFeed feed = new ServiceProxyFeed(proxy, nodeName);
        // inform() returns after the initial list, so "listed" follows it
        this.services = client.services().inAnyNamespace()
                .inform(handler(feed::serviceUpserted, feed::serviceDeleted), 0);
        feed.servicesListed();
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace()
                .inform(handler(feed::sliceUpserted, feed::sliceDeleted), 0);
        feed.slicesListed();
    }

    ServiceProxy proxy() {
        return proxy;
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
        BiConsumer<T, T> update = (oldObj, newObj) -> upsert.accept(newObj);
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                update.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                delete.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        services.close();
        slices.close();
        proxy.close();
    }
}
