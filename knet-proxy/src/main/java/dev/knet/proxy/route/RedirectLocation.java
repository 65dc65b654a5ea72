package dev.knet.proxy.route;

/**
 * Builds the Location of a RequestRedirect. Unset parts keep the request's; an unset port is the
 * scheme's well-known port when the scheme changes, else the request's port; well-known ports are
 * left out of the Location.
 */
public final class RedirectLocation {

    private RedirectLocation() {
    }

    public static String of(RouteRequest request, Filter.RequestRedirect redirect, String matchedPrefix) {
        Scheme scheme = redirect.scheme() == null ? request.scheme() : Scheme.parse(redirect.scheme());
        String host = redirect.hostname() == null ? request.host() : redirect.hostname();
        int port = redirect.port() != null ? redirect.port()
                : redirect.scheme() != null ? scheme.defaultPort() : request.port();
        String path = redirect.path() == null ? request.path() : redirect.path().apply(request.path(), matchedPrefix);
        String authority = port == scheme.defaultPort() ? host : host + ":" + port;
        return scheme.text() + "://" + authority + path;
    }
}
