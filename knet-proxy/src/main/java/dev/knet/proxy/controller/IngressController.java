package dev.knet.proxy.controller;

import dev.knet.proxy.route.RouteOptions;
import dev.knet.proxy.route.RouteTable;
import dev.knet.proxy.server.IngressProxy;
import dev.knet.proxy.server.ProxySettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * knet's ingress controller, as ingress-nginx runs in a cluster: list/watch of Ingress,
 * IngressClass, Gateway, GatewayClass, HTTPRoute, ReferenceGrant, Services, EndpointSlices and
 * kubernetes.io/tls Secrets through fabric8 informers; a debounced rebuild of the route table and
 * the endpoint index (RouteSync); and the IngressProxy serving them on the HTTP and HTTPS ports.
 * Optionally publishes an address in the status of the Ingresses it serves.
 *
 * <pre>
 * informers --mark stale--> RouteSync (one thread) --swap--> RouteTable, TLS contexts, ServiceEndpoints
 *                                      \--> Ingress status             read per request by IngressProxy
 * </pre>
 */
public final class IngressController implements AutoCloseable {

    /** The GatewayClass controllerName knet answers to unless told otherwise. */
    public static final String DEFAULT_GATEWAY_CONTROLLER = "knet.dev/gateway-controller";

    private static final Logger LOG = LoggerFactory.getLogger(IngressController.class);

    private final Builder config;
    private final ClassPolicy classes;
    private final AtomicReference<ServiceEndpoints> endpoints = new AtomicReference<>(ServiceEndpoints.empty());
    private KubernetesClient client;
    private ClusterWatch watch;
    private RouteSync sync;
    private IngressProxy proxy;
    private IngressStatusWriter status;

    private IngressController(Builder config) {
        this.config = config;
        this.classes = new ClassPolicy(config.routeOptions.ingressController(), config.ingressClassName,
                config.gatewayController);
    }

    /**
     * Starts a controller against the API server at apiUrl, serving HTTP on http and, when https
     * is not null, HTTPS on https; ingressClassName (nullable) is the IngressClass it answers to
     * besides those naming its controller. Sockets are opened in the calling thread's namespace.
     */
    public static IngressController start(String apiUrl, InetSocketAddress http, InetSocketAddress https,
                                          String ingressClassName) throws IngressControllerException {
        Builder b = builder(apiUrl).http(http).ingressClassName(ingressClassName);
        if (https != null) {
            b.https(https);
        }
        return b.start();
    }

    public static Builder builder(String apiUrl) {
        return new Builder(apiUrl);
    }

    private void open() throws IngressControllerException {
        try {
            client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(config.apiUrl)
                    .withOnlyHttpWatches(true).build()).build();
            if (config.statusAddress != null) {
                status = new IngressStatusWriter(client, config.statusAddress);
            }
            sync = new RouteSync(config.debounce, this::rebuild);
            watch = new ClusterWatch(client, sync);
            IngressProxy.Builder pb = IngressProxy.builder().endpoints(backend -> endpoints.get().endpoints(backend))
                    .settings(config.settings).routeOptions(config.routeOptions).threads(config.threads);
            if (config.http != null) {
                pb.listen(config.http);
            }
            if (config.https != null) {
                pb.tlsListen(config.https);
            }
            IngressProxy built = pb.build();
            proxy = config.scope.run("ingress proxy", built::start);
            sync.start();
        } catch (Exception e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IngressControllerException("ingress controller for " + config.apiUrl + " did not start: " + e.getMessage(), e);
        }
        LOG.info("ingress controller started: http {}, https {}, class {}", config.http, config.https,
                config.ingressClassName);
    }

    /** On the sync thread only. */
    private void rebuild(boolean routes, boolean endpointsStale) {
        if (endpointsStale) {
            ServiceEndpoints next = ServiceEndpoints.of(ClusterWatch.list(watch.services),
                    ClusterWatch.list(watch.endpointSlices));
            endpoints.set(next);
            LOG.debug("endpoints rebuilt: {} service ports", next.size());
        }
        if (!routes) {
            return;
        }
        List<IngressClass> ingressClasses = classes.effectiveIngressClasses(ClusterWatch.list(watch.ingressClasses));
        List<Ingress> ingresses = ClusterWatch.list(watch.ingresses);
        List<HasMetadata> objects = new ArrayList<>(ingresses);
        objects.addAll(ingressClasses);
        objects.addAll(classes.servedGateways(ClusterWatch.list(watch.gateways), ClusterWatch.list(watch.gatewayClasses)));
        objects.addAll(ClusterWatch.list(watch.httpRoutes));
        objects.addAll(ClusterWatch.list(watch.referenceGrants));
        List<Secret> secrets = ClusterWatch.list(watch.secrets).stream()
                .filter(s -> ClusterWatch.TLS_SECRET_TYPE.equals(s.getType())).toList();
        proxy.updateRoutes(RouteTable.compile(objects, config.routeOptions), secrets);
        if (status != null) {
            int written = status.publish(ingresses.stream().filter(i -> classes.serves(i, ingressClasses)).toList());
            if (written > 0) {
                LOG.info("published {} in the status of {} Ingress(es)", config.statusAddress, written);
            }
        }
    }

    /** The proxy serving the routes (its bound addresses, metrics, current table). */
    public IngressProxy proxy() {
        return proxy;
    }

    public InetSocketAddress httpAddress() {
        return proxy.httpAddress();
    }

    public InetSocketAddress httpsAddress() {
        return proxy.tlsAddress();
    }

    /** Completed rebuilds since start (the first full one included); for tests and metrics. */
    public long syncs() {
        return sync == null ? 0 : sync.syncs();
    }

    @Override
    public synchronized void close() {
        if (sync != null) {
            sync.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** Set http and/or https; everything else has a default. */
    public static final class Builder {
        private final String apiUrl;
        private InetSocketAddress http;
        private InetSocketAddress https;
        private String ingressClassName;
        private String gatewayController = DEFAULT_GATEWAY_CONTROLLER;
        private String statusAddress;
        private ListenerScope scope = ListenerScope.CURRENT;
        private ProxySettings settings = ProxySettings.defaults();
        private RouteOptions routeOptions = RouteOptions.defaults();
        private Duration debounce = Duration.ofMillis(100);
        private int threads = 1;

        private Builder(String apiUrl) {
            this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        }

        public Builder http(InetSocketAddress address) {
            this.http = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder https(InetSocketAddress address) {
            this.https = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The IngressClass name this controller answers to (nullable: only classes naming its controller). */
        public Builder ingressClassName(String name) {
            this.ingressClassName = name;
            return this;
        }

        /** GatewayClass spec.controllerName this controller answers to. */
        public Builder gatewayController(String controllerName) {
            this.gatewayController = Objects.requireNonNull(controllerName, "controllerName");
            return this;
        }

        /** IP or host name to publish in status.loadBalancer.ingress of served Ingresses. */
        public Builder statusAddress(String address) {
            this.statusAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Where the listeners (and the proxy's event loops) are opened, e.g. a pod's namespace. */
        public Builder listenerScope(ListenerScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        public Builder settings(ProxySettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder routeOptions(RouteOptions options) {
            this.routeOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Events within this interval are merged into one rebuild. */
        public Builder debounce(Duration debounce) {
            this.debounce = Objects.requireNonNull(debounce, "debounce");
            return this;
        }

        /** Proxy event loop threads (default 1, as one nginx worker per pod). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public IngressController start() throws IngressControllerException {
            if (http == null && https == null) {
                throw new IllegalStateException("set http and/or https");
            }
            IngressController controller = new IngressController(this);
            controller.open();
            return controller;
        }
    }
}
