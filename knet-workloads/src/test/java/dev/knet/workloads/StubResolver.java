package dev.knet.workloads;

import dev.knet.workloads.pod.PodResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resolver for tests: a service name maps to 127.0.0.1 and a port of the test's choosing,
 * whatever port the workload asked for; IP literals pass through.
 */
public final class StubResolver implements PodResolver {

    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    public static StubResolver empty() {
        return new StubResolver();
    }

    public StubResolver map(String name, int port) {
        ports.put(name, port);
        return this;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        Integer mapped = ports.get(host);
        if (mapped != null) {
            return List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), mapped));
        }
        try {
            return List.of(new InetSocketAddress(InetAddress.ofLiteral(host), port));
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host + ": no such host");
        }
    }
}
