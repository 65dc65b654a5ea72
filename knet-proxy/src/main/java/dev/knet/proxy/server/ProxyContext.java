package dev.knet.proxy.server;

import dev.knet.proxy.route.RouteTable;

import java.util.function.Supplier;

/** What every connection of the proxy shares. */
record ProxyContext(Supplier<RouteTable> routes, EndpointResolver endpoints, EndpointBalancer balancer,
                    UpstreamClient upstream, ProxyMetrics metrics, ProxySettings settings) {
}
