package dev.knet.agent.services;

import java.util.List;
import java.util.function.Predicate;

/**
 * Picks the endpoints a service port sends traffic to under a traffic policy: the ready ones; when none is
 * ready, the serving-but-terminating ones (so connections drain instead of failing during a rollout).
 * Local policy first narrows to endpoints on this node.
 */
public final class EndpointSelector {

    private EndpointSelector() {
    }

    public static List<Backend> select(ServiceInfo.Port port, List<EndpointInfo> endpoints, ServiceInfo.TrafficPolicy policy) {
        Predicate<EndpointInfo> scope = policy == ServiceInfo.TrafficPolicy.LOCAL ? EndpointInfo::isLocal : e -> true;
        List<EndpointInfo> candidates = endpoints.stream()
                .filter(e -> e.ports().containsKey(port.name()))
                .filter(scope)
                .toList();
        List<EndpointInfo> ready = candidates.stream().filter(e -> e.conditions().ready()).toList();
        List<EndpointInfo> chosen = !ready.isEmpty() ? ready : candidates.stream()
                .filter(e -> e.conditions().serving() && e.conditions().terminating())
                .toList();
        return chosen.stream()
                .map(e -> new Backend(e.ip(), e.ports().get(port.name()), e.isLocal()))
                .distinct()
                .sorted()
                .toList();
    }
}
