package dev.knet.agent.services;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feeds a {@link ServiceProxy} (and any other {@link ServiceEventSink}: health-check node ports, the
 * LoadBalancer announcer) from Service and EndpointSlice list/watch events (from an informer on a real
 * cluster, or the lab's API). Keeps the slices of each Service, because sinks take a Service's merged
 * endpoints while the API delivers them slice by slice. Call the listed methods after each initial list.
 * Services that another proxy owns ({@code service.kubernetes.io/service-proxy-name}) or that are labelled
 * {@code service.kubernetes.io/headless} are passed on as deleted, like kube-proxy does.
 */
public final class ServiceProxyFeed {

    /** A Service carrying this label belongs to another service proxy. */
    public static final String PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";
    /** A Service carrying this label is not proxied even if it has a cluster IP. */
    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    private final List<ServiceEventSink> sinks;
    private final ServiceTranslator translator;
    private final Map<ServiceKey, Map<String, EndpointSlice>> slices = new HashMap<>();

    public ServiceProxyFeed(ServiceProxy proxy, String nodeName) {
        this(List.of(Objects.requireNonNull(proxy, "proxy")), nodeName);
    }

    /** One feed for several sinks; each gets every event in the same order. */
    public ServiceProxyFeed(List<? extends ServiceEventSink> sinks, String nodeName) {
        this.sinks = List.copyOf(sinks);
        this.translator = new ServiceTranslator(Objects.requireNonNull(nodeName, "nodeName"));
    }

    public void serviceUpserted(Service service) {
        if (notProxied(service)) {
            serviceDeleted(service);
            return;
        }
        ServiceInfo info = translator.service(service);
        sinks.forEach(s -> s.onServiceUpdate(info));
    }

    public void serviceDeleted(Service service) {
        ServiceKey key = ServiceTranslator.key(service);
        sinks.forEach(s -> s.onServiceDelete(key));
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
        sinks.forEach(ServiceEventSink::markServicesSynced);
    }

    public void slicesListed() {
        sinks.forEach(ServiceEventSink::markEndpointsSynced);
    }

    static boolean notProxied(Service service) {
        Map<String, String> labels = service.getMetadata().getLabels();
        return labels != null && (labels.containsKey(PROXY_NAME_LABEL) || labels.containsKey(HEADLESS_LABEL));
    }

    private void publish(ServiceKey key) {
        Map<String, EndpointSlice> forService = slices.get(key);
        if (forService == null || forService.isEmpty()) {
            slices.remove(key);
            sinks.forEach(s -> s.onEndpointsDelete(key));
        } else {
            List<EndpointInfo> endpoints = translator.endpoints(forService.values());
            sinks.forEach(s -> s.onEndpointsUpdate(key, endpoints));
        }
    }
}
