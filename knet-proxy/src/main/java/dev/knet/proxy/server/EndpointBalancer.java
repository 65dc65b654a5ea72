package dev.knet.proxy.server;

import dev.knet.proxy.route.ServiceBackend;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Round robin over a Service's ready endpoints, one counter per Service port. */
final class EndpointBalancer {

    private final ConcurrentHashMap<ServiceBackend, AtomicInteger> next = new ConcurrentHashMap<>();

    InetSocketAddress pick(ServiceBackend backend, List<InetSocketAddress> endpoints) {
        int i = next.computeIfAbsent(backend, b -> new AtomicInteger()).getAndIncrement();
        return endpoints.get(Math.floorMod(i, endpoints.size()));
    }
}
