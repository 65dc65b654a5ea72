package dev.knet.proxy.route;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** One compiled HTTPRouteMatch: every condition present must hold. */
public record HttpMatch(PathMatch path, Optional<String> method, List<ValueMatch> headers, List<ValueMatch> queryParams) {

    /** A header (name compared case-insensitively) or query parameter (case-sensitive) condition. */
    public sealed interface ValueMatch {
        String name();

        boolean test(String value);

        record Exact(String name, String value) implements ValueMatch {
            @Override
            public boolean test(String candidate) {
                return value.equals(candidate);
            }
        }

        record Regex(String name, Pattern pattern) implements ValueMatch {
            @Override
            public boolean test(String candidate) {
                return pattern.matcher(candidate).matches();
            }
        }
    }

    public HttpMatch {
        headers = List.copyOf(headers);
        queryParams = List.copyOf(queryParams);
    }

    public static HttpMatch anyPath() {
        return new HttpMatch(new PathMatch.Prefix("/"), Optional.empty(), List.of(), List.of());
    }

    public boolean matches(RouteRequest request) {
        if (!path.matches(request.path())) {
            return false;
        }
        if (method.isPresent() && !method.get().equals(request.method())) {
            return false;
        }
        for (ValueMatch header : headers) {
            // several values of one header are compared one by one; any may satisfy the condition
            if (request.header(header.name()).stream().noneMatch(header::test)) {
                return false;
            }
        }
        for (ValueMatch param : queryParams) {
            // only the first value of a repeated parameter counts, as the spec recommends
            List<String> values = request.query().getOrDefault(param.name(), List.of());
            if (values.isEmpty() || !param.test(values.getFirst())) {
                return false;
            }
        }
        return true;
    }

    /** The PathPrefix value that ReplacePrefixMatch replaces, or null when the path match is not a prefix. */
    public String prefixValue() {
        return path instanceof PathMatch.Prefix p ? p.value() : null;
    }
}
