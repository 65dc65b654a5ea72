package dev.knet.proxy.server;

import dev.knet.proxy.route.Filter;
import dev.knet.proxy.route.RouteRequest;
import dev.knet.proxy.route.RouteResult;
import dev.knet.proxy.route.RouteTable;
import dev.knet.proxy.route.Scheme;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes one whole request (HTTP/1 connection or HTTP/2 stream) and answers it: forwards to an
 * endpoint, redirects, or says why not (404 no route, 503 no endpoints, 500 bad rule, 502/504
 * endpoint failures). One request at a time per connection: a pipelined HTTP/1 request that
 * arrives while one is in flight waits in a queue and reading pauses until the queue is drained,
 * so responses keep the order of the requests. Reading is left on for the common one-at-a-time
 * client: pausing and resuming it per request costs two epoll_ctl calls.
 */
final class ProxyRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRequestHandler.class);

    private final ProxyContext proxy;
    private final Scheme scheme;

    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean inFlight;
    private String clientIp;

    ProxyRequestHandler(ProxyContext proxy, Scheme scheme) {
        this.proxy = proxy;
        this.scheme = scheme;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (inFlight) {
            queued.add(request.retain());
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(ctx, request);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        queued.forEach(FullHttpRequest::release);
        queued.clear();
        super.channelInactive(ctx);
    }

    /** After a response: the next queued request, or reading again. */
    private void next(ChannelHandlerContext ctx) {
        inFlight = false;
        FullHttpRequest request = queued.poll();
        if (request == null) {
            if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        try {
            handle(ctx, request);
        } finally {
            request.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        inFlight = true;
        Exchange exchange = new Exchange(ctx, request, System.nanoTime());
        if (!request.decoderResult().isSuccess()) {
            FullHttpResponse response = Responses.forDecoderFailure(request.decoderResult().cause());
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            exchange.respond(response, "none", null, true);
            return;
        }
        if (request.protocolVersion().majorVersion() != 1) {
            // HTTP/2 streams arrive converted to HTTP/1.1; anything else claiming another major version is unknown
            FullHttpResponse response = Responses.text(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "HTTP version " + request.protocolVersion().text() + " is not supported");
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            exchange.respond(response, "none", null, true);
            return;
        }
        RouteTable table = proxy.routes().get();
        RouteRequest route = RouteRequest.of(exchange.method, scheme, exchange.host, exchange.uri,
                table.matchesHeaders() ? headers(request) : Map.of());
        RouteResult result = table.match(route);
        switch (result) {
            case RouteResult.NotFound notFound -> exchange.respond(
                    Responses.text(HttpResponseStatus.NOT_FOUND, "no route: " + notFound.reason()), "none", null, false);
            case RouteResult.NoBackend none -> exchange.respond(
                    Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "route " + none.route() + ": " + none.reason()),
                    none.route(), null, false);
            case RouteResult.Redirect redirect -> {
                FullHttpResponse response = Responses.text(HttpResponseStatus.valueOf(redirect.statusCode()),
                        "redirecting to " + redirect.location());
                response.headers().set(HttpHeaderNames.LOCATION, redirect.location());
                MessageRewriter.applyResponseFilters(response.headers(), redirect.filters());
                exchange.respond(response, redirect.route(), null, false);
            }
            case RouteResult.Forward forward -> forward(exchange, route, forward);
        }
    }

    private void forward(Exchange exchange, RouteRequest route, RouteResult.Forward forward) {
        List<InetSocketAddress> endpoints = proxy.endpoints().endpoints(forward.backend());
        if (endpoints == null || endpoints.isEmpty()) {
            exchange.respond(Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "no healthy endpoints for service " + forward.backend().serviceKey()), forward.route(), null, false);
            return;
        }
        InetSocketAddress endpoint = proxy.balancer().pick(forward.backend(), endpoints);
        FullHttpRequest upstreamRequest = MessageRewriter.toUpstream(exchange.request, route, forward,
                clientIp(exchange.ctx), exchange.host);
        proxy.upstream().send(exchange.ctx.channel().eventLoop(), endpoint, upstreamRequest)
                .addListener((Future<FullHttpResponse> done) -> {
                    if (done.isSuccess()) {
                        exchange.respond(MessageRewriter.toClient(done.getNow(), forward.filters(),
                                "HEAD".equals(exchange.method)), forward.route(),
                                endpoint, false);
                        return;
                    }
                    String upstream = AccessLog.address(endpoint);
                    Throwable cause = done.cause();
                    boolean timeout = cause instanceof UpstreamException u && u.kind() == UpstreamException.Kind.TIMEOUT;
                    LOG.debug("forwarding to {} for {} failed", upstream, forward.route(), cause);
                    exchange.respond(Responses.text(timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
                            "endpoint " + upstream + " of service " + forward.backend().serviceKey() + ": "
                                    + cause.getMessage()), forward.route(), endpoint, false);
                });
    }

    private static Map<String, List<String>> headers(FullHttpRequest request) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : request.headers()) {
            map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return map;
    }

    /** The client's address as text, computed once per connection (or HTTP/2 stream). */
    private String clientIp(ChannelHandlerContext ctx) {
        if (clientIp == null) {
            Channel c = ctx.channel();
            SocketAddress remote = (c instanceof Http2StreamChannel ? c.parent() : c).remoteAddress();
            clientIp = remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        }
        return clientIp;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** One request and what is needed to answer and log it. */
    private final class Exchange {
        final ChannelHandlerContext ctx;
        final FullHttpRequest request;
        final long started;
        final String host;
        final String method;
        final String uri;
        final String protocol;
        final boolean keepAlive;
        final boolean http10;

        Exchange(ChannelHandlerContext ctx, FullHttpRequest request, long started) {
            this.ctx = ctx;
            this.request = request;
            this.started = started;
            String h = request.headers().get(HttpHeaderNames.HOST);
            this.host = h != null ? h : request.headers().get("x-http2-authority", "");
            this.method = request.method().name();
            this.uri = request.uri();
            this.protocol = ctx.channel() instanceof Http2StreamChannel ? "HTTP/2.0" : request.protocolVersion().text();
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        }

        /** upstream: the endpoint that answered, null when the proxy answered itself. */
        void respond(FullHttpResponse response, String route, InetSocketAddress upstream, boolean close) {
            int status = response.status().code();
            long bytes = response.content().readableBytes();
            if (!keepAlive || close) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (http10) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            boolean closeAfter = !keepAlive || close;
            var written = ctx.writeAndFlush(response);
            if (closeAfter) {
                written.addListener(ChannelFutureListener.CLOSE);
            } else if (queued.isEmpty()) {
                next(ctx);
            } else {
                // queued requests are taken up on the event loop, after this response is on its way
                ctx.executor().execute(() -> next(ctx));
            }
            long nanos = System.nanoTime() - started;
            proxy.metrics().record(route, status, nanos);
            if (AccessLog.enabled()) {
                AccessLog.log(new AccessLog.Entry(clientIp(ctx), method, uri, protocol, host, status, bytes, nanos, route,
                        upstream == null ? "-" : AccessLog.address(upstream)));
            }
        }
    }
}
