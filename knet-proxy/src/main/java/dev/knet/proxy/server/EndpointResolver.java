package dev.knet.proxy.server;

import dev.knet.proxy.route.ServiceBackend;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Ready endpoints of a Service port (the target IP:port of each ready endpoint, with named and
 * numbered Service ports already resolved to the endpoints' ports). Called once per forwarded
 * request on an event loop thread: answer from memory, never block.
 */
@FunctionalInterface
public interface EndpointResolver {

    /** Empty when the Service has no ready endpoint (or does not exist). */
    List<InetSocketAddress> endpoints(ServiceBackend backend);
}
