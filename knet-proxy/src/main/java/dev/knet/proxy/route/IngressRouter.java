package dev.knet.proxy.route;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Matches requests against compiled Ingress rules. Host first: the most specific host pattern
 * that matches (exact, then "*.suffix", then rules without host) is the virtual host, and only
 * its paths are considered, as in the virtual hosts of nginx or Envoy. Within it the longest
 * matching path wins and Exact beats Prefix on equal length; remaining ties go to the oldest
 * Ingress. Without a matching path the oldest Ingress's defaultBackend serves, else 404.
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

    private final List<Rule> rules;
    private final Optional<DefaultBackend> defaultBackend;

    public IngressRouter(List<Rule> rules, Optional<DefaultBackend> defaultBackend) {
        this.rules = List.copyOf(rules);
        this.defaultBackend = defaultBackend;
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
        Optional<HostPattern> virtualHost = rules.stream()
                .map(Rule::host)
                .filter(h -> h.matches(request.host(), HostPattern.WildcardScope.ONE_LABEL))
                .min(Comparator.comparingInt(HostPattern::specificityRank));
        Optional<Rule> best = virtualHost.flatMap(host -> rules.stream()
                .filter(r -> r.host().equals(host) && r.path().matches(request.path()))
                .min(PRECEDENCE)); // min() keeps the first of equals: the oldest Ingress wins ties
        if (best.isPresent()) {
            Rule rule = best.get();
            return rule.backend()
                    .<RouteResult>map(b -> new RouteResult.Forward(rule.route(), b, List.of(), null))
                    .orElseGet(() -> new RouteResult.NoBackend(rule.route(), "resource backends are not supported"));
        }
        if (defaultBackend.isPresent()) {
            DefaultBackend d = defaultBackend.get();
            return d.backend()
                    .<RouteResult>map(b -> new RouteResult.Forward(d.route(), b, List.of(), null))
                    .orElseGet(() -> new RouteResult.NoBackend(d.route(), "resource backends are not supported"));
        }
        return new RouteResult.NotFound("no Ingress rule matches host '" + request.host()
                + "' path '" + request.path() + "'");
    }
}
