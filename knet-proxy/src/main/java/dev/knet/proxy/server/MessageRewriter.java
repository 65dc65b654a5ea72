package dev.knet.proxy.server;

import dev.knet.proxy.route.Filter;
import dev.knet.proxy.route.HeaderEdits;
import dev.knet.proxy.route.RouteRequest;
import dev.knet.proxy.route.RouteResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    // the decoder validated the incoming names and values already
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private MessageRewriter() {
    }

    /** Takes a new reference to the client's body; the result is written (and so released) upstream. */
    static FullHttpRequest toUpstream(FullHttpRequest in, RouteRequest route, RouteResult.Forward forward,
                                      String clientIp, String originalHost) {
        HttpHeaders headers = endToEnd(in.headers());
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
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, in.method(), target, in.content().retainedDuplicate(),
                headers, in.trailingHeaders().copy());
    }

    /**
     * Takes ownership of the upstream response's body. The body arrives whole, so its length is
     * set, except for HEAD (the endpoint's length describes the body it did not send) and for
     * statuses that never carry a body.
     */
    static FullHttpResponse toClient(FullHttpResponse upstream, List<Filter> filters, boolean head) {
        HttpHeaders headers = endToEnd(upstream.headers());
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
                upstream.trailingHeaders().copy());
    }

    static void applyResponseFilters(HttpHeaders headers, List<Filter> filters) {
        for (Filter filter : filters) {
            if (filter instanceof Filter.ResponseHeaderModifier m) {
                m.edits().applyTo(target(headers));
            }
        }
    }

    /**
     * A copy without hop-by-hop headers: the standard ones, those the Connection header lists and
     * the HTTP/2 conversion's extension headers. One pass over the entries, no copy to prune.
     */
    private static HttpHeaders endToEnd(HttpHeaders in) {
        Set<String> listed = null;
        for (String value : in.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                if (listed == null) {
                    listed = new HashSet<>();
                }
                listed.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        HttpHeaders out = HEADERS.newHeaders();
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = in.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = entries.next();
            CharSequence name = e.getKey();
            if (!isHopByHop(name) && (listed == null || !listed.contains(name.toString().toLowerCase(Locale.ROOT)))) {
                out.add(name, e.getValue());
            }
        }
        return out;
    }

    private static boolean isHopByHop(CharSequence name) {
        for (AsciiString hop : HOP_BY_HOP) {
            if (hop.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
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
