package dev.knet.proxy.route;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

import java.util.ArrayList;
import java.util.List;

/**
 * Every route the proxy serves, compiled and immutable: swap a whole table to update. HTTPRoutes
 * are consulted first and Ingresses second, so a Gateway can take over hosts from an Ingress.
 */
public final class RouteTable {

    private final GatewayRouter gateway;
    private final IngressRouter ingress;
    private final List<CertificateBinding> certificates;
    private final RouteOptions options;
    private final boolean matchesHeaders;

    private RouteTable(GatewayRouter gateway, IngressRouter ingress, List<CertificateBinding> certificates,
                       RouteOptions options) {
        this.gateway = gateway;
        this.ingress = ingress;
        this.certificates = List.copyOf(certificates);
        this.options = options;
        this.matchesHeaders = gateway.entries().stream().anyMatch(e -> !e.match().headers().isEmpty());
    }

    public static RouteTable empty() {
        return new RouteTable(GatewayRouter.empty(), IngressRouter.empty(), List.of(), RouteOptions.defaults());
    }

    /** Compiles Ingresses, IngressClasses, Gateways, HTTPRoutes and ReferenceGrants; other kinds are ignored. */
    public static RouteTable compile(List<? extends HasMetadata> objects, RouteOptions options) {
        List<Ingress> ingresses = new ArrayList<>();
        List<IngressClass> classes = new ArrayList<>();
        List<Gateway> gateways = new ArrayList<>();
        List<HTTPRoute> routes = new ArrayList<>();
        for (HasMetadata o : objects) {
            switch (o) {
                case Ingress i -> ingresses.add(i);
                case IngressClass c -> classes.add(c);
                case Gateway g -> gateways.add(g);
                case HTTPRoute r -> routes.add(r);
                default -> {
                    // Secrets, Services and the rest are inputs to other parts of the proxy
                }
            }
        }
        IngressCompiler.Compiled i = IngressCompiler.compile(ingresses, classes, options.ingressController());
        GatewayCompiler.Compiled g = GatewayCompiler.compile(gateways, routes, options.gatewayClasses(),
                ReferenceGrants.of(objects));
        List<CertificateBinding> certificates = new ArrayList<>(g.certificates());
        certificates.addAll(i.certificates());
        return new RouteTable(g.router(), i.router(), certificates, options);
    }

    public RouteResult match(RouteRequest request) {
        if (gateway.isEmpty() && !ingress.isEmpty()) {
            return ingress.match(request);
        }
        RouteResult viaGateway = gateway.match(request, options.random());
        if (!(viaGateway instanceof RouteResult.NotFound notFound)) {
            return viaGateway;
        }
        if (ingress.isEmpty()) {
            return gateway.isEmpty() ? new RouteResult.NotFound("no routes are configured") : notFound;
        }
        return ingress.match(request);
    }

    /**
     * Whether any rule looks at request headers: when none does, a caller may build the
     * RouteRequest without them and save copying every header of every request.
     */
    public boolean matchesHeaders() {
        return matchesHeaders;
    }

    /** TLS hosts and the Secrets that hold their certificates, HTTPS listeners first. */
    public List<CertificateBinding> certificates() {
        return certificates;
    }

    public GatewayRouter gatewayRouter() {
        return gateway;
    }

    public IngressRouter ingressRouter() {
        return ingress;
    }
}
