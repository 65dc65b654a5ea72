package dev.knet.proxy.server;

import dev.knet.proxy.route.ServiceBackend;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A stateful EndpointResolver: "namespace/name" -> ready endpoints, whatever the port. */
final class FakeEndpoints implements EndpointResolver {

    private final Map<String, List<InetSocketAddress>> byService = new ConcurrentHashMap<>();

    FakeEndpoints set(String serviceKey, List<InetSocketAddress> endpoints) {
        byService.put(serviceKey, List.copyOf(endpoints));
        return this;
    }

    @Override
    public List<InetSocketAddress> endpoints(ServiceBackend backend) {
        return byService.getOrDefault(backend.serviceKey(), List.of());
    }
}
