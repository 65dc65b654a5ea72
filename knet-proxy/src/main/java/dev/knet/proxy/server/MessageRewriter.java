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

import java.util.List;
import java.util.Locale;

/**
 * Turns a client request into the request an endpoint gets (hop-by-hop headers dropped,
 * X-Forwarded-* added, filters applied) and an endpoint's response into the client's.
 */
final class MessageRewriter {

    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    private MessageRewriter() {
    }

    /** Takes a new reference to the client's body; the result is written (and so released) upstream. */
    static FullHttpRequest toUpstream(FullHttpRequest in, RouteRequest route, RouteResult.Forward forward,
                                      String clientIp, String originalHost) {
        HttpHeaders headers = in.headers().copy();
        stripHopByHop(headers);
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
        HttpHeaders headers = upstream.headers().copy();
        stripHopByHop(headers);
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

    private static void stripHopByHop(HttpHeaders headers) {
        for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : listed.split(",")) {
                headers.remove(name.trim());
            }
        }
        HOP_BY_HOP.forEach(headers::remove);
        // extension headers the HTTP/2 to HTTP/1 conversion adds
        headers.names().stream().filter(n -> n.toLowerCase(Locale.ROOT).startsWith("x-http2-")).toList()
                .forEach(headers::remove);
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
