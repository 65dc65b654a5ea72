package dev.knet.proxy.route;

import java.util.List;

/** The outcome of matching one request. */
public sealed interface RouteResult {

    /** Forward to backend after applying filters; matchedPrefix feeds ReplacePrefixMatch (null if none). */
    record Forward(String route, ServiceBackend backend, List<Filter> filters, String matchedPrefix)
            implements RouteResult {
        public Forward {
            filters = List.copyOf(filters);
        }
    }

    /** Answer with a redirect (a RequestRedirect filter matched). */
    record Redirect(String route, String location, int statusCode, List<Filter> filters) implements RouteResult {
        public Redirect {
            filters = List.copyOf(filters);
        }
    }

    /** A rule matched but has no usable backend (none, weight 0, or an invalid reference): HTTP 500. */
    record NoBackend(String route, String reason) implements RouteResult {
    }

    /** Nothing matched: HTTP 404. */
    record NotFound(String reason) implements RouteResult {
    }
}
