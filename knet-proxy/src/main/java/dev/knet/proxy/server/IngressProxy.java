package dev.knet.proxy.server;

import dev.knet.proxy.route.RouteOptions;
import dev.knet.proxy.route.RouteTable;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The north-south L7 proxy: serves Ingress and HTTPRoute routes on a plain listener (HTTP/1.1,
 * h2c) and a TLS listener (SNI, ALPN h2/http1.1). Routes and certificates are replaced whole by
 * updateRoutes; requests in flight keep the table they started with.
 */
public final class IngressProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngressProxy.class);

    private final Builder config;
    private final AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.empty());
    private final TlsContexts tls = new TlsContexts();
    private final PrometheusMeterRegistry registry;
    private EventLoopGroup group;
    private UpstreamClient upstream;
    private final List<Channel> listeners = new ArrayList<>();

    private IngressProxy(Builder config) {
        this.config = config;
        this.registry = config.registry != null ? config.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listeners; throws if a port cannot be bound. */
    public synchronized IngressProxy start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(config.threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerSocketChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        upstream = new UpstreamClient(clientType, config.settings);
        Supplier<RouteTable> routes = config.routes != null ? config.routes : table::get;
        ProxyContext context = new ProxyContext(routes, config.endpoints, new EndpointBalancer(), upstream,
                new ProxyMetrics(registry), config.settings);
        Pipelines pipelines = new Pipelines(context);
        try {
            if (config.listen != null) {
                listeners.add(bind(serverType, config.listen, new PlainInitializer(pipelines, config.settings.maxRequestBody())));
            }
            if (config.tlsListen != null) {
                listeners.add(bind(serverType, config.tlsListen, new TlsInitializer(pipelines, tls)));
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("ingress proxy listening on {} ({})", listeners.stream().map(Channel::localAddress).toList(),
                epoll ? "epoll" : "nio");
        return this;
    }

    private Channel bind(Class<? extends ServerSocketChannel> type, InetSocketAddress address,
                         io.netty.channel.ChannelHandler initializer) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(address).sync().channel();
    }

    /**
     * Compiles Ingresses, Gateways, HTTPRoutes (with any ReferenceGrants passed among them) and
     * IngressClasses into the route table and kubernetes.io/tls Secrets into SNI certificates,
     * and swaps both in. Pass every object each time: the previous table is replaced whole.
     */
    public void updateRoutes(List<? extends HasMetadata> ingresses, List<? extends HasMetadata> gateways,
                             List<? extends HasMetadata> routes, List<Secret> secrets,
                             List<? extends HasMetadata> ingressClasses) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(ingresses);
        all.addAll(gateways);
        all.addAll(routes);
        all.addAll(ingressClasses);
        updateRoutes(RouteTable.compile(all, config.routeOptions), secrets);
    }

    /** Swaps in a compiled table, and the certificates its TLS bindings name. */
    public void updateRoutes(RouteTable routes, List<Secret> secrets) {
        tls.update(routes.certificates(), secrets);
        table.set(routes);
        LOG.info("routes updated: {} HTTPRoute matches, {} Ingress paths, {} TLS bindings",
                routes.gatewayRouter().entries().size(), routes.ingressRouter().rules().size(), routes.certificates().size());
    }

    public RouteTable routes() {
        return table.get();
    }

    /** The bound plain address (with the real port when 0 was asked for). */
    public InetSocketAddress httpAddress() {
        return address(config.listen, 0);
    }

    public InetSocketAddress tlsAddress() {
        return address(config.tlsListen, config.listen == null ? 0 : 1);
    }

    private InetSocketAddress address(InetSocketAddress asked, int index) {
        if (asked == null || listeners.size() <= index) {
            throw new IllegalStateException("listener not started");
        }
        return (InetSocketAddress) listeners.get(index).localAddress();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Prometheus text exposition of the proxy's metrics. */
    public String scrapeMetrics() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        listeners.forEach(Channel::close);
        listeners.clear();
        if (upstream != null) {
            upstream.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Set at least one listener and the endpoint resolver. */
    public static final class Builder {
        private InetSocketAddress listen;
        private InetSocketAddress tlsListen;
        private Supplier<RouteTable> routes;
        private EndpointResolver endpoints;
        private ProxySettings settings = ProxySettings.defaults();
        private RouteOptions routeOptions = RouteOptions.defaults();
        private PrometheusMeterRegistry registry;
        private int threads = 0;

        private Builder() {
        }

        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder tlsListen(InetSocketAddress address) {
            this.tlsListen = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Routes from elsewhere (read per request); without it, updateRoutes feeds the table. */
        public Builder routes(Supplier<RouteTable> routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        public Builder endpoints(EndpointResolver endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
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

        public Builder meterRegistry(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Event loop threads; 0 means Netty's default (twice the cores). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public IngressProxy build() {
            if (listen == null && tlsListen == null) {
                throw new IllegalStateException("set listen and/or tlsListen");
            }
            Objects.requireNonNull(endpoints, "endpoints");
            return new IngressProxy(this);
        }
    }
}
