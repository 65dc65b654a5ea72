package dev.knet.proxy.route;

import java.util.OptionalInt;

/** The HTTPRoute filters knet applies; others are rejected when the route is compiled. */
public sealed interface Filter {

    record RequestHeaderModifier(HeaderEdits edits) implements Filter {
    }

    record ResponseHeaderModifier(HeaderEdits edits) implements Filter {
    }

    /** Answers with a redirect instead of forwarding. Null fields keep the request's value. */
    record RequestRedirect(String scheme, String hostname, PathModifier path, Integer port, int statusCode)
            implements Filter {

        public OptionalInt portNumber() {
            return port == null ? OptionalInt.empty() : OptionalInt.of(port);
        }
    }

    /** Rewrites host and/or path before forwarding. Null fields keep the request's value. */
    record UrlRewrite(String hostname, PathModifier path) implements Filter {
    }
}
