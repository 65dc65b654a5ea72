package dev.knet.proxy.route;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What route matching looks at in a request. Host is lower case without port or trailing dot;
 * path carries no query; header names are lower case.
 */
public record RouteRequest(String method, Scheme scheme, String host, int port, String path,
                           Map<String, List<String>> query, Map<String, List<String>> headers) {

    public RouteRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        host = host == null ? "" : host;
        path = path == null || path.isEmpty() ? "/" : path;
        // insertion order kept, so logs and tests see parameters as sent; the usual request has
        // neither query nor copied headers, and then allocates no map at all
        query = query.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A request from a method, a Host header value ("a.b:8080" or "[::1]:80") and a target ("/p?q=1"). */
    public static RouteRequest of(String method, Scheme scheme, String hostHeader, String target,
                                  Map<String, List<String>> headers) {
        String host = hostHeader == null ? "" : hostHeader.trim().toLowerCase(Locale.ROOT);
        int port = scheme.defaultPort();
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            port = parsePort(host.substring(colon + 1), port);
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String path = target;
        String rawQuery = "";
        int q = target.indexOf('?');
        if (q >= 0) {
            path = target.substring(0, q);
            rawQuery = target.substring(q + 1);
        }
        Map<String, List<String>> lowered = headers.isEmpty() ? Map.of() : new LinkedHashMap<>();
        headers.forEach((name, values) -> lowered.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(values));
        return new RouteRequest(method, scheme, host, port, path, parseQuery(rawQuery), lowered);
    }

    public static RouteRequest of(String method, Scheme scheme, String hostHeader, String target) {
        return of(method, scheme, hostHeader, target, Map.of());
    }

    /** Values of a header, by name in any case; empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    private static int parsePort(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static Map<String, List<String>> parseQuery(String raw) {
        if (raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.computeIfAbsent(decode(name), k -> new ArrayList<>()).add(decode(value));
        }
        return result;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a malformed escape is matched literally rather than failing the whole request
            return s;
        }
    }
}
