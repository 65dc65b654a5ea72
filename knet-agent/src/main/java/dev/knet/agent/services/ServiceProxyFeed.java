package dev.knet.agent.services;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Feeds a {@link ServiceProxy} from Service and EndpointSlice list/watch events (from an informer on a real
 * cluster, or the lab's API). Keeps the slices of each Service, because the proxy takes a Service's merged
 * endpoints while the API delivers them slice by slice. Call the mark methods after each initial list.
 */
public final class ServiceProxyFeed {

    private final ServiceProxy proxy;
    private final ServiceTranslator translator;
    private final Map<ServiceKey, Map<String, EndpointSlice>> slices = new HashMap<>();

    public ServiceProxyFeed(ServiceProxy proxy, String nodeName) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.translator = new ServiceTranslator(Objects.requireNonNull(nodeName, "nodeName"));
    }

    public void serviceUpserted(Service service) {
        proxy.onServiceUpdate(translator.service(service));
    }

    public void serviceDeleted(Service service) {
        proxy.onServiceDelete(ServiceTranslator.key(service));
    }

    public synchronized void sliceUpserted(EndpointSlice slice) {
        ServiceTranslator.owner(slice).ifPresent(key -> {
            slices.computeIfAbsent(key, k -> new HashMap<>()).put(slice.getMetadata().getName(), slice);
            publish(key);
        });
    }

    public synchronized void sliceDeleted(EndpointSlice slice) {
        ServiceTranslator.owner(slice).ifPresent(key -> {
            Map<String, EndpointSlice> forService = slices.get(key);
            if (forService != null) {
                forService.remove(slice.getMetadata().getName());
                publish(key);
            }
        });
    }

    public void servicesListed() {
        proxy.markServicesSynced();
    }

    public void slicesListed() {
        proxy.markEndpointsSynced();
    }

    private void publish(ServiceKey key) {
        Map<String, EndpointSlice> forService = slices.get(key);
        if (forService == null || forService.isEmpty()) {
            slices.remove(key);
            proxy.onEndpointsDelete(key);
        } else {
            proxy.onEndpointsUpdate(key, translator.endpoints(forService.values()));
        }
    }
}
