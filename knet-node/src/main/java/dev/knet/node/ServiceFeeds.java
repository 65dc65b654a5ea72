package dev.knet.node;

import dev.knet.agent.services.HealthCheckServer;
import dev.knet.agent.services.LoadBalancerAnnouncer;
import dev.knet.agent.services.MetricsServer;
import dev.knet.agent.services.ServiceEventSink;
import dev.knet.agent.services.ServiceProxy;
import dev.knet.agent.services.ServiceProxyFeed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.knet.model.InformerHandlers.upsertOrDelete;

/**
 * The node's Service proxy, fed by Service and EndpointSlice informers through {@link ServiceProxyFeed},
 * and beside it (on a real or lab node) the healthCheckNodePort answers, the LoadBalancer IP
 * announcement and the Prometheus endpoint on kube-proxy's metrics port.
 */
final class ServiceFeeds implements AutoCloseable {

    /** The prefix of every meter the Service proxy registers. */
    private static final String PROXY_METERS = "knet_proxy_";
    private final NodeAgentDeps.NodeServices wiring;
    private final ServiceProxy proxy;
    /** Everything besides the proxy that must be closed with it, in start order. */
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;

    ServiceFeeds(KubernetesClient client, String nodeName, NodeAgentDeps.NodeServices wiring) {
        this.wiring = wiring;
        this.proxy = new ServiceProxy(wiring.node(), wiring.nft(), wiring.registry(), ServiceProxy.Config.DEFAULT);
        List<ServiceEventSink> sinks = new ArrayList<>(List.of(proxy));
        if (wiring.servesNode()) {
            HealthCheckServer health = new HealthCheckServer(Optional.of(wiring.nodeNetns()));
            LoadBalancerAnnouncer announcer = new LoadBalancerAnnouncer(nodeName, wiring.nodeNetns(), wiring.links());
            extras.add(health);
            extras.add(announcer);
            sinks.add(health);
            sinks.add(announcer);
            if (wiring.registry() instanceof PrometheusMeterRegistry prometheus) {
                extras.add(MetricsServer.start(prometheus, Optional.of(wiring.nodeNetns()),
                        new InetSocketAddress(MetricsServer.DEFAULT_PORT)));
            }
        }
        ServiceProxyFeed feed = new ServiceProxyFeed(sinks, nodeName);
        // inform() returns after the initial list, so "listed" follows it
        this.services = client.services().inAnyNamespace()
                .inform(upsertOrDelete(feed::serviceUpserted, feed::serviceDeleted), 0);
        feed.servicesListed();
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace()
                .inform(upsertOrDelete(feed::sliceUpserted, feed::sliceDeleted), 0);
        feed.slicesListed();
    }

    ServiceProxy proxy() {
        return proxy;
    }

    /** Closes everything, including the nftables handle the wiring gave it. */
    @Override
    public void close() {
        stop();
        wiring.nft().close();
    }

    /** Stops the informers, the proxy and its companions, leaving the rules and the nftables handle for a successor. */
    void stop() {
        services.close();
        slices.close();
        proxy.close();
        // A restarted kube-proxy is a new process with fresh metrics; left registered, these gauges would go on
        // reading the stopped proxy's state and the successor's registrations would be ignored.
        MeterRegistry registry = wiring.registry();
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(PROXY_METERS)).toList()
                .forEach(registry::remove);
        for (AutoCloseable extra : extras.reversed()) {
            try {
                extra.close();
            } catch (Exception e) {
                // closing is best effort: the node namespace goes away with the lab anyway
            }
        }
    }
}
