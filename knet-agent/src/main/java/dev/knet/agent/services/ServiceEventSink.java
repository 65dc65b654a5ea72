package dev.knet.agent.services;

import java.util.List;

/**
 * What consumes the cluster's Services and endpoints on a node, as cut down by {@link ServiceTranslator}: the
 * proxy itself, the health-check node ports and the LoadBalancer announcer. {@link ServiceProxyFeed} fans one
 * list/watch stream out to several sinks, so each keeps only the state it needs.
 */
public interface ServiceEventSink {

    void onServiceUpdate(ServiceInfo service);

    void onServiceDelete(ServiceKey key);

    /** The merged endpoints of one service (all its EndpointSlices). */
    void onEndpointsUpdate(ServiceKey key, List<EndpointInfo> endpoints);

    void onEndpointsDelete(ServiceKey key);

    /** Called once the initial list of Services has been fed. */
    void markServicesSynced();

    /** Called once the initial list of EndpointSlices has been fed. */
    void markEndpointsSynced();
}
