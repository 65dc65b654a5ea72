package dev.knet.proxy.server;

import dev.knet.proxy.route.Filter;
import dev.knet.proxy.route.HeaderEdits;
import dev.knet.proxy.route.RouteRequest;
import dev.knet.proxy.route.RouteResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a client request into the request an endpoint gets (hop-by-hop headers dropped,
 * X-Forwarded-* added, filters applied) and an endpoint's response into the client's.
 */
final class MessageRewriter {

    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, AsciiString.cached("http2-settings"));
    // extension headers the HTTP/2 to HTTP/1 conversion adds
    private static final String HTTP2_EXTENSION_PREFIX = "x-http2-";

    private MessageRewriter() {
    }

    /**
     * Takes a new reference to the client's body and reuses (changes) its headers; the result is
     * written (and so released) upstream.
     */
    static FullHttpRequest toUpstream(FullHttpRequest in, RouteRequest route, RouteResult.Forward forward,
                                      String clientIp, String originalHost) {
        HttpHeaders headers = stripHopByHop(in.headers());
        String forwardedFor = headers.get("x-forwarded-for");
        headers.set("X-Forwarded-For", forwardedFor == null || forwardedFor.isBlank() ? clientIp : forwardedFor + ", " + clientIp);
        headers.set("X-Forwarded-Proto", route.scheme().text());
        headers.set("X-Forwarded-Host", originalHost);
        headers.set(HttpHeaderNames.HOST, originalHost);

        String path = route.path();
        for (Filter filter : forward.filters()) {
            switch (filter) {
                case Filter.RequestHeaderModifier m -> m.edits().applyTo(target(headers));
                case Filter.UrlRewrite rewrite -> {
                    if (rewrite.hostname() != null) {
                        headers.set(HttpHeaderNames.HOST, rewrite.hostname());
                    }
                    if (rewrite.path() != null) {
                        path = rewrite.path().apply(path, forward.matchedPrefix());
                    }
                }
                case Filter.ResponseHeaderModifier m -> {
                    // applied to the response
                }
                case Filter.RequestRedirect r -> {
                    // never forwarded: the router answers redirects itself
                }
            }
        }
        String uri = in.uri();
        int q = uri.indexOf('?');
        String target = q < 0 ? path : path + uri.substring(q);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, in.content().readableBytes());
        // trailers are plain objects, not reference counted: handed over as they are, not copied per request
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, in.method(), target, in.content().retainedDuplicate(),
                headers, in.trailingHeaders());
    }

    /**
     * Takes ownership of the upstream response's body. The body arrives whole, so its length is
     * set, except for HEAD (the endpoint's length describes the body it did not send) and for
     * statuses that never carry a body.
     */
    static FullHttpResponse toClient(FullHttpResponse upstream, List<Filter> filters, boolean head) {
        HttpHeaders headers = stripHopByHop(upstream.headers());
        int code = upstream.status().code();
        if (code < 200 || code == 204) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (!head && code != 304) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, upstream.content().readableBytes());
        }
        for (Filter filter : filters) {
            if (filter instanceof Filter.ResponseHeaderModifier m) {
                m.edits().applyTo(target(headers));
            }
        }
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, upstream.status(), upstream.content(), headers,
                upstream.trailingHeaders());
    }

    static void applyResponseFilters(HttpHeaders headers, List<Filter> filters) {
        for (Filter filter : filters) {
            if (filter instanceof Filter.ResponseHeaderModifier m) {
                m.edits().applyTo(target(headers));
            }
        }
    }

    /**
     * Drops hop-by-hop headers in place: the standard ones, those the Connection header lists and
     * the HTTP/2 conversion's extension headers. In place because the message is the proxy's own
     * (decoded for this exchange and released after it): copying every header of every request and
     * response into a new map was the largest allocation per request.
     */
    private static HttpHeaders stripHopByHop(HttpHeaders headers) {
        List<String> listed = null;
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            listed = new ArrayList<>();
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String name : value.split(",")) {
                    if (!name.isBlank()) {
                        listed.add(name.trim());
                    }
                }
            }
        }
        for (AsciiString hop : HOP_BY_HOP) {
            headers.remove(hop);
        }
        if (listed != null) {
            listed.forEach(headers::remove);
        }
        List<CharSequence> extensions = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
        while (entries.hasNext()) {
            CharSequence name = entries.next().getKey();
            if (isHttp2Extension(name)) {
                extensions = extensions == null ? new ArrayList<>() : extensions;
                extensions.add(name);
            }
        }
        if (extensions != null) {
            extensions.forEach(headers::remove);
        }
        return headers;
    }

    private static boolean isHttp2Extension(CharSequence name) {
        return name.length() >= HTTP2_EXTENSION_PREFIX.length()
                && AsciiString.regionMatches(name, true, 0, HTTP2_EXTENSION_PREFIX, 0, HTTP2_EXTENSION_PREFIX.length());
    }

    private static HeaderEdits.Target target(HttpHeaders headers) {
        return new HeaderEdits.Target() {
            @Override
            public void set(String name, String value) {
                headers.set(name, value);
            }

            @Override
            public void add(String name, String value) {
                headers.add(name, value);
            }

            @Override
            public void remove(String name) {
                headers.remove(name);
            }
        };
    }
}
