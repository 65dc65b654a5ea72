package dev.knet.proxy.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Matches requests against compiled HTTPRoutes. The most specific hostname that matches (exact,
 * then the longest wildcard, then any) selects the candidates; among those the Gateway API
 * precedence decides: Exact path, then RegularExpression, then the longest PathPrefix; then a
 * method match; then the most header matches; then the most query parameter matches; then the
 * oldest route; then "namespace/name" alphabetically; then rule and match order.
 */
public final class GatewayRouter {

    /** What a rule does once matched; redirect, when present, replaces forwarding. */
    public record Rule(String route, WeightedBackends backends, List<Filter> filters,
                       Optional<Filter.RequestRedirect> redirect, Optional<String> invalidReason) {
        public Rule {
            filters = List.copyOf(filters);
        }
    }

    /** Tie-breakers after the match itself: route age and key, then position in the route. */
    public record Order(String created, String routeKey, int ruleIndex, int matchIndex) {
    }

    public record Entry(Scheme scheme, HostPattern host, HttpMatch match, Order order, Rule rule) {
    }

    static final Comparator<Entry> PRECEDENCE = Comparator
            .comparingInt((Entry e) -> e.match().path().typeRank())
            .thenComparingInt(e -> -e.match().path().length())
            .thenComparingInt(e -> e.match().method().isPresent() ? 0 : 1)
            .thenComparingInt(e -> -e.match().headers().size())
            .thenComparingInt(e -> -e.match().queryParams().size())
            .thenComparing(e -> e.order().created())
            .thenComparing(e -> e.order().routeKey())
            .thenComparingInt(e -> e.order().ruleIndex())
            .thenComparingInt(e -> e.order().matchIndex());

    private final List<Entry> entries;

    public GatewayRouter(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(PRECEDENCE);
        this.entries = List.copyOf(sorted);
    }

    public static GatewayRouter empty() {
        return new GatewayRouter(List.of());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return entries;
    }

    public RouteResult match(RouteRequest request, RandomGenerator random) {
        Optional<HostPattern> virtualHost = entries.stream()
                .filter(e -> e.scheme() == request.scheme())
                .map(Entry::host)
                .filter(h -> h.matches(request.host(), HostPattern.WildcardScope.ANY_LABELS))
                .min(Comparator.comparingInt(HostPattern::specificityRank));
        if (virtualHost.isEmpty()) {
            return new RouteResult.NotFound("no HTTPRoute hostname matches '" + request.host() + "'");
        }
        for (Entry entry : entries) {
            if (entry.scheme() == request.scheme() && entry.host().equals(virtualHost.get())
                    && entry.match().matches(request)) {
                return decide(entry, request, random);
            }
        }
        return new RouteResult.NotFound("no HTTPRoute rule matches host '" + request.host()
                + "' path '" + request.path() + "'");
    }

    private static RouteResult decide(Entry entry, RouteRequest request, RandomGenerator random) {
        Rule rule = entry.rule();
        if (rule.invalidReason().isPresent()) {
            return new RouteResult.NoBackend(rule.route(), rule.invalidReason().get());
        }
        String prefix = entry.match().prefixValue();
        if (rule.redirect().isPresent()) {
            Filter.RequestRedirect redirect = rule.redirect().get();
            return new RouteResult.Redirect(rule.route(), RedirectLocation.of(request, redirect, prefix),
                    redirect.statusCode(), rule.filters());
        }
        Optional<WeightedBackends.Choice> choice = rule.backends().pick(random);
        if (choice.isEmpty()) {
            return new RouteResult.NoBackend(rule.route(), "rule has no backend with a weight above 0");
        }
        if (choice.get().backend().isEmpty()) {
            return new RouteResult.NoBackend(rule.route(), choice.get().invalidReason());
        }
        List<Filter> filters = new ArrayList<>(rule.filters());
        filters.addAll(choice.get().filters());
        return new RouteResult.Forward(rule.route(), choice.get().backend().get(), filters, prefix);
    }
}
