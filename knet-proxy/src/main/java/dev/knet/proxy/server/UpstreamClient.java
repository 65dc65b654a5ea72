package dev.knet.proxy.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to endpoints over kept-alive connections, pooled per event loop and endpoint (last in,
 * first out, so idle connections age out). A request goes out on a connection of the client's own
 * event loop, so a forwarded request never hops threads and the pool needs no locking. One
 * request per connection at a time.
 */
final class UpstreamClient implements AutoCloseable {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final ProxySettings settings;
    private final Bootstrap bootstrap;
    private final ChannelGroup all = new DefaultChannelGroup("knet-upstream", GlobalEventExecutor.INSTANCE);
    /** Idle connections of the current event loop, by endpoint; only that loop touches its map. */
    private final FastThreadLocal<Map<InetSocketAddress, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<InetSocketAddress, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamClient(Class<? extends SocketChannel> channelType, ProxySettings settings) {
        this.settings = settings;
        this.bootstrap = new Bootstrap().channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, settings.upstreamIdle().toMillis(), TimeUnit.MILLISECONDS) {
                                    @Override
                                    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                                        ctx.close();
                                    }
                                },
                                new HttpClientCodec(),
                                new UpstreamResponseHandler(settings.maxResponseBody()));
                    }
                });
    }

    /**
     * Sends request (its ownership passes here) from loop, the event loop of the client connection,
     * and completes with the response or an UpstreamException. An idempotent request that fails on
     * a reused connection (the endpoint closed it while idle, a race no client can avoid) is tried
     * once more on another connection.
     */
    Future<FullHttpResponse> send(EventLoop loop, InetSocketAddress endpoint, FullHttpRequest request) {
        Promise<FullHttpResponse> result = loop.newPromise();
        result.addListener(done -> request.release());
        boolean mayRetry = IDEMPOTENT.contains(request.method());
        if (loop.inEventLoop()) {
            attempt(loop, endpoint, request, result, mayRetry);
        } else {
            loop.execute(() -> attempt(loop, endpoint, request, result, mayRetry));
        }
        return result;
    }

    /** Runs on loop. */
    private void attempt(EventLoop loop, InetSocketAddress endpoint, FullHttpRequest request,
                         Promise<FullHttpResponse> result, boolean mayRetry) {
        ArrayDeque<Channel> pool = idle.get().computeIfAbsent(endpoint, e -> new ArrayDeque<>());
        Channel channel;
        while ((channel = pool.pollLast()) != null) {
            if (channel.isActive()) {
                exchange(loop, channel, pool, true, endpoint, request, result, mayRetry);
                return;
            }
        }
        bootstrap.clone(loop).connect(endpoint).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                result.tryFailure(connectFailure(endpoint, connected.cause()));
                return;
            }
            Channel fresh = connected.channel();
            all.add(fresh);
            // a connection closed while idle (by the endpoint or the idle limit) leaves the pool at once
            fresh.closeFuture().addListener(closed -> pool.remove(fresh));
            exchange(loop, fresh, pool, false, endpoint, request, result, mayRetry);
        });
    }

    private void exchange(EventLoop loop, Channel channel, ArrayDeque<Channel> pool, boolean reused, InetSocketAddress endpoint,
                          FullHttpRequest request, Promise<FullHttpResponse> result, boolean mayRetry) {
        ChannelHandlerContext ctx = channel.pipeline().context(UpstreamResponseHandler.class);
        if (ctx == null) {
            failed(new UpstreamException(UpstreamException.Kind.FAILED, "endpoint connection closed", null),
                    loop, reused, endpoint, request, result, mayRetry);
            return;
        }
        Promise<FullHttpResponse> exchange = loop.newPromise();
        exchange.addListener((Future<FullHttpResponse> done) -> {
            if (done.isSuccess() && HttpUtil.isKeepAlive(done.getNow()) && channel.isActive()) {
                pool.addLast(channel);
            } else {
                channel.close();
            }
            if (done.isSuccess()) {
                if (!result.trySuccess(done.getNow())) {
                    done.getNow().release();
                }
            } else {
                failed(done.cause(), loop, reused, endpoint, request, result, mayRetry);
            }
        });
        ((UpstreamResponseHandler) ctx.handler()).begin(ctx, exchange, settings.upstreamTimeout().toMillis());
        channel.writeAndFlush(request.retainedDuplicate()).addListener(written -> {
            if (!written.isSuccess()) {
                exchange.tryFailure(new UpstreamException(UpstreamException.Kind.FAILED,
                        "cannot send to " + endpoint + ": " + written.cause().getMessage(), written.cause()));
            }
        });
    }

    private void failed(Throwable cause, EventLoop loop, boolean reused, InetSocketAddress endpoint, FullHttpRequest request,
                        Promise<FullHttpResponse> result, boolean mayRetry) {
        if (mayRetry && reused && cause instanceof UpstreamException u && u.kind() == UpstreamException.Kind.FAILED) {
            attempt(loop, endpoint, request, result, false);
        } else {
            result.tryFailure(cause);
        }
    }

    private static UpstreamException connectFailure(InetSocketAddress endpoint, Throwable cause) {
        boolean timeout = cause instanceof io.netty.channel.ConnectTimeoutException;
        String what = timeout ? "connect timed out" : cause instanceof ConnectException ? "connection refused" : cause.toString();
        return new UpstreamException(timeout ? UpstreamException.Kind.TIMEOUT : UpstreamException.Kind.FAILED,
                "cannot connect to " + endpoint + ": " + what, cause);
    }

    @Override
    public void close() {
        all.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
