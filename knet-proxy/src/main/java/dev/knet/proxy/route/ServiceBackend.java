package dev.knet.proxy.route;

import java.util.Objects;

/** A Service port that serves a route: what an EndpointResolver turns into endpoint addresses. */
public record ServiceBackend(String namespace, String name, PortRef port) {

    public ServiceBackend {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(port, "port");
    }

    /** "default/foo", the way messages and metrics name the Service. */
    public String serviceKey() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return serviceKey() + ":" + port;
    }
}
