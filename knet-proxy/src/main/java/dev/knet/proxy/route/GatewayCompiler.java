package dev.knet.proxy.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles Gateway API v1 Gateways and HTTPRoutes into a GatewayRouter. Listeners with protocol
 * HTTP serve the proxy's plain listener and HTTPS ones its TLS listener; the listener port only
 * decides attachment (parentRef.port), since the proxy's own ports are set when it is started.
 * allowedRoutes "Same" (the default) and "All" are honoured; "Selector" is treated as "All"
 * because Namespace labels are not part of the route inputs. A cross-namespace backendRef needs a
 * ReferenceGrant in the Service's namespace; without one it is invalid (500).
 */
public final class GatewayCompiler {

    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    private GatewayCompiler() {
    }

    public record Compiled(GatewayRouter router, List<CertificateBinding> certificates) {
    }

    /** gatewayClasses: the GatewayClass names knet serves; empty serves every Gateway. */
    public static Compiled compile(List<Gateway> gateways, List<HTTPRoute> routes, Set<String> gatewayClasses,
                                   ReferenceGrants grants) {
        List<GatewayRouter.Entry> entries = new ArrayList<>();
        List<CertificateBinding> certificates = new ArrayList<>();
        List<HTTPRoute> ordered = routes.stream().filter(r -> r.getSpec() != null)
                .sorted(Comparator.comparing(GatewayCompiler::created).thenComparing(GatewayCompiler::key)).toList();
        for (Gateway gateway : gateways) {
            if (gateway.getSpec() == null || !gatewayClasses.isEmpty()
                    && !gatewayClasses.contains(gateway.getSpec().getGatewayClassName())) {
                continue;
            }
            for (Listener listener : IngressCompiler.nullSafe(gateway.getSpec().getListeners())) {
                Optional<Scheme> scheme = scheme(listener.getProtocol());
                if (scheme.isEmpty()) {
                    continue;
                }
                HostPattern listenerHost = HostPattern.of(listener.getHostname());
                if (scheme.get() == Scheme.HTTPS && listener.getTls() != null) {
                    for (SecretObjectReference ref : IngressCompiler.nullSafe(listener.getTls().getCertificateRefs())) {
                        certificates.add(new CertificateBinding(listenerHost,
                                ref.getNamespace() == null ? namespace(gateway) : ref.getNamespace(), ref.getName()));
                    }
                }
                for (HTTPRoute route : ordered) {
                    if (!attaches(route, gateway, listener)) {
                        continue;
                    }
                    List<HostPattern> hosts = HostnameIntersection.of(listenerHost,
                            IngressCompiler.nullSafe(route.getSpec().getHostnames()));
                    addEntries(entries, route, scheme.get(), hosts, grants);
                }
            }
        }
        return new Compiled(new GatewayRouter(entries), certificates);
    }

    private static void addEntries(List<GatewayRouter.Entry> into, HTTPRoute route, Scheme scheme, List<HostPattern> hosts,
                                   ReferenceGrants grants) {
        List<HTTPRouteRule> rules = IngressCompiler.nullSafe(route.getSpec().getRules());
        for (int i = 0; i < rules.size(); i++) {
            HTTPRouteRule rule = rules.get(i);
            GatewayRouter.Rule compiled = compileRule(route, rule, i, grants);
            List<HTTPRouteMatch> matches = IngressCompiler.nullSafe(rule.getMatches());
            List<HttpMatch> compiledMatches = matches.isEmpty() ? List.of(HttpMatch.anyPath())
                    : matches.stream().map(GatewayCompiler::match).toList();
            for (int j = 0; j < compiledMatches.size(); j++) {
                GatewayRouter.Order order = new GatewayRouter.Order(created(route), key(route), i, j);
                for (HostPattern host : hosts) {
                    into.add(new GatewayRouter.Entry(scheme, host, compiledMatches.get(j), order, compiled));
                }
            }
        }
    }

    private static GatewayRouter.Rule compileRule(HTTPRoute route, HTTPRouteRule rule, int index, ReferenceGrants grants) {
        String name = "httproute/" + key(route) + "/rule" + index;
        List<Filter> filters = new ArrayList<>();
        Optional<Filter.RequestRedirect> redirect = Optional.empty();
        try {
            for (HTTPRouteFilter f : IngressCompiler.nullSafe(rule.getFilters())) {
                Filter filter = FilterCompiler.compile(f);
                if (filter instanceof Filter.RequestRedirect r) {
                    redirect = Optional.of(r);
                } else {
                    filters.add(filter);
                }
            }
        } catch (FilterCompiler.UnsupportedFilterException e) {
            return new GatewayRouter.Rule(name, new WeightedBackends(List.of()), List.of(), Optional.empty(),
                    Optional.of(e.getMessage()));
        }
        List<WeightedBackends.Choice> choices = new ArrayList<>();
        for (HTTPBackendRef ref : IngressCompiler.nullSafe(rule.getBackendRefs())) {
            choices.add(choice(route, ref, grants));
        }
        return new GatewayRouter.Rule(name, new WeightedBackends(choices), filters, redirect, Optional.empty());
    }

    private static WeightedBackends.Choice choice(HTTPRoute route, HTTPBackendRef ref, ReferenceGrants grants) {
        int weight = ref.getWeight() == null ? 1 : ref.getWeight();
        String kind = ref.getKind() == null ? "Service" : ref.getKind();
        String group = ref.getGroup() == null ? "" : ref.getGroup();
        String namespace = ref.getNamespace() == null ? namespace(route) : ref.getNamespace();
        if (!kind.equals("Service") || !group.isEmpty()) {
            return WeightedBackends.Choice.invalid(weight, "backendRef kind " + group + "/" + kind + " is not supported");
        }
        if (!grants.allows(namespace(route), namespace, ref.getName())) {
            return WeightedBackends.Choice.invalid(weight, "backendRef to Service " + namespace + "/" + ref.getName()
                    + " is not allowed by a ReferenceGrant");
        }
        if (ref.getPort() == null) {
            return WeightedBackends.Choice.invalid(weight, "backendRef " + ref.getName() + " has no port");
        }
        List<Filter> filters = new ArrayList<>();
        try {
            for (HTTPRouteFilter f : IngressCompiler.nullSafe(ref.getFilters())) {
                filters.add(FilterCompiler.compile(f));
            }
        } catch (FilterCompiler.UnsupportedFilterException e) {
            return WeightedBackends.Choice.invalid(weight, e.getMessage());
        }
        return WeightedBackends.Choice.valid(weight,
                new ServiceBackend(namespace, ref.getName(), new PortRef.Number(ref.getPort())), filters);
    }

    static HttpMatch match(HTTPRouteMatch m) {
        HTTPPathMatch p = m.getPath();
        String type = p == null || p.getType() == null ? "PathPrefix" : p.getType();
        String value = p == null || p.getValue() == null ? "/" : p.getValue();
        PathMatch path = switch (type) {
            case "Exact" -> new PathMatch.Exact(value);
            case "RegularExpression" -> new PathMatch.Regex(Pattern.compile(value));
            default -> new PathMatch.Prefix(value);
        };
        List<HttpMatch.ValueMatch> headers = new ArrayList<>();
        for (HTTPHeaderMatch h : IngressCompiler.nullSafe(m.getHeaders())) {
            headers.add(valueMatch(h.getName(), h.getType(), h.getValue()));
        }
        List<HttpMatch.ValueMatch> query = new ArrayList<>();
        for (HTTPQueryParamMatch q : IngressCompiler.nullSafe(m.getQueryParams())) {
            query.add(valueMatch(q.getName(), q.getType(), q.getValue()));
        }
        return new HttpMatch(path, Optional.ofNullable(m.getMethod()), headers, query);
    }

    private static HttpMatch.ValueMatch valueMatch(String name, String type, String value) {
        return "RegularExpression".equals(type)
                ? new HttpMatch.ValueMatch.Regex(name, Pattern.compile(value))
                : new HttpMatch.ValueMatch.Exact(name, value);
    }

    private static boolean attaches(HTTPRoute route, Gateway gateway, Listener listener) {
        String from = listener.getAllowedRoutes() == null || listener.getAllowedRoutes().getNamespaces() == null
                || listener.getAllowedRoutes().getNamespaces().getFrom() == null
                ? "Same" : listener.getAllowedRoutes().getNamespaces().getFrom();
        if (from.equals("Same") && !namespace(route).equals(namespace(gateway))) {
            return false;
        }
        for (ParentReference ref : IngressCompiler.nullSafe(route.getSpec().getParentRefs())) {
            boolean isGateway = (ref.getKind() == null || ref.getKind().equals("Gateway"))
                    && (ref.getGroup() == null || ref.getGroup().equals(GATEWAY_GROUP));
            String ns = ref.getNamespace() == null ? namespace(route) : ref.getNamespace();
            if (isGateway && gateway.getMetadata().getName().equals(ref.getName()) && ns.equals(namespace(gateway))
                    && (ref.getSectionName() == null || ref.getSectionName().equals(listener.getName()))
                    && (ref.getPort() == null || ref.getPort().equals(listener.getPort()))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Scheme> scheme(String protocol) {
        return switch (protocol == null ? "" : protocol) {
            case "HTTP" -> Optional.of(Scheme.HTTP);
            case "HTTPS" -> Optional.of(Scheme.HTTPS);
            default -> Optional.empty();
        };
    }

    static String namespace(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    private static String key(HasMetadata o) {
        return namespace(o) + "/" + o.getMetadata().getName();
    }

    private static String created(HasMetadata o) {
        String ts = o.getMetadata().getCreationTimestamp();
        return ts == null ? "" : ts;
    }
}
