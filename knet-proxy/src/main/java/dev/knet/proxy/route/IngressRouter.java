package dev.knet.proxy.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches requests against compiled Ingress rules. Host first: the most specific host pattern
 * that matches (exact, then "*.suffix", then rules without host) is the virtual host, and only
 * its paths are considered, as in the virtual hosts of nginx or Envoy. Within it the longest
 * matching path wins and Exact beats Prefix on equal length; remaining ties go to the oldest
 * Ingress. Without a matching path the oldest Ingress's defaultBackend serves, else 404.
 *
 * <p>The rules are indexed once: virtual hosts by exact host and by wildcard suffix (an Ingress
 * wildcard covers one label, so at most one suffix can match a host), each with its paths
 * already in precedence order and its answers built, so a request costs two map lookups and a
 * scan of its own host's paths, whatever the number of Ingresses.
 */
public final class IngressRouter {

    /** One path of one rule; order is the Ingresses' age order, then their rule and path order. */
    public record Rule(HostPattern host, PathMatch path, Optional<ServiceBackend> backend, String route) {
    }

    public record DefaultBackend(Optional<ServiceBackend> backend, String route) {
    }

    private static final Comparator<Rule> PRECEDENCE = Comparator
            .comparingInt((Rule r) -> -r.path().length())
            .thenComparingInt(r -> r.path().typeRank());

    /** A path of a virtual host and its precomputed answer. */
    private record Candidate(PathMatch path, RouteResult result) {
    }

    private final List<Rule> rules;
    private final Optional<DefaultBackend> defaultBackend;
    private final Map<String, List<Candidate>> exactHosts = new HashMap<>();
    private final Map<String, List<Candidate>> wildcardSuffixes = new HashMap<>();
    private final List<Candidate> anyHost;
    private final RouteResult fallback;

    public IngressRouter(List<Rule> rules, Optional<DefaultBackend> defaultBackend) {
        this.rules = List.copyOf(rules);
        this.defaultBackend = defaultBackend;
        Map<HostPattern, List<Rule>> byHost = new LinkedHashMap<>();
        for (Rule rule : this.rules) {
            byHost.computeIfAbsent(rule.host(), h -> new ArrayList<>()).add(rule);
        }
        List<Candidate> any = null;
        for (Map.Entry<HostPattern, List<Rule>> e : byHost.entrySet()) {
            List<Rule> ordered = new ArrayList<>(e.getValue());
            ordered.sort(PRECEDENCE); // stable: the oldest Ingress stays first among equals
            List<Candidate> candidates = ordered.stream()
                    .map(r -> new Candidate(r.path(), result(r.backend(), r.route()))).toList();
            HostPattern host = e.getKey();
            if (host.isAny()) {
                any = candidates;
            } else if (host.isWildcard()) {
                wildcardSuffixes.put(host.value().substring(1), candidates);
            } else {
                exactHosts.put(host.value(), candidates);
            }
        }
        this.anyHost = any;
        this.fallback = defaultBackend.map(d -> result(d.backend(), d.route())).orElse(null);
    }

    public static IngressRouter empty() {
        return new IngressRouter(List.of(), Optional.empty());
    }

    public boolean isEmpty() {
        return rules.isEmpty() && defaultBackend.isEmpty();
    }

    public List<Rule> rules() {
        return rules;
    }

    public RouteResult match(RouteRequest request) {
        String host = request.host();
        List<Candidate> virtualHost = exactHosts.get(host);
        if (virtualHost == null) {
            int dot = host.indexOf('.');
            if (dot > 0) {
                virtualHost = wildcardSuffixes.get(host.substring(dot));
            }
        }
        if (virtualHost == null) {
            virtualHost = anyHost;
        }
        if (virtualHost != null) {
            String path = request.path();
            for (Candidate c : virtualHost) {
                if (c.path().matches(path)) {
                    return c.result();
                }
            }
        }
        if (fallback != null) {
            return fallback;
        }
        return new RouteResult.NotFound("no Ingress rule matches host '" + request.host()
                + "' path '" + request.path() + "'");
    }

    private static RouteResult result(Optional<ServiceBackend> backend, String route) {
        return backend.<RouteResult>map(b -> new RouteResult.Forward(route, b, List.of(), null))
                .orElseGet(() -> new RouteResult.NoBackend(route, "resource backends are not supported"));
    }
}
