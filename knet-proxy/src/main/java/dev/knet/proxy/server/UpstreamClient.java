package dev.knet.proxy.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to endpoints over kept-alive connections, pooled per endpoint (last in, first out, so
 * idle connections age out). One request per connection at a time.
 */
final class UpstreamClient implements AutoCloseable {

    private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("knet.upstream.used");
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final ProxySettings settings;
    private final AbstractChannelPoolMap<InetSocketAddress, SimpleChannelPool> pools;

    UpstreamClient(EventLoopGroup group, Class<? extends SocketChannel> channelType, ProxySettings settings) {
        this.settings = settings;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        this.pools = new AbstractChannelPoolMap<>() {
            @Override
            protected SimpleChannelPool newPool(InetSocketAddress endpoint) {
                return new SimpleChannelPool(bootstrap.clone().remoteAddress(endpoint), new PoolHandler(),
                        ChannelHealthChecker.ACTIVE, true, false);
            }
        };
    }

    /**
     * Sends request (its ownership passes here) and completes with the response or an
     * UpstreamException. An idempotent request that fails on a reused connection (the endpoint
     * closed it while idle, a race no client can avoid) is tried once more on a new connection.
     */
    Future<FullHttpResponse> send(EventLoop loop, InetSocketAddress endpoint, FullHttpRequest request) {
        Promise<FullHttpResponse> result = loop.newPromise();
        result.addListener(done -> request.release());
        attempt(endpoint, request, result, IDEMPOTENT.contains(request.method()));
        return result;
    }

    private void attempt(InetSocketAddress endpoint, FullHttpRequest request, Promise<FullHttpResponse> result,
                         boolean mayRetry) {
        SimpleChannelPool pool = pools.get(endpoint);
        pool.acquire().addListener((Future<Channel> acquired) -> {
            if (!acquired.isSuccess()) {
                result.tryFailure(connectFailure(endpoint, acquired.cause()));
                return;
            }
            Channel channel = acquired.getNow();
            boolean reused = channel.attr(USED).getAndSet(Boolean.TRUE) != null;
            Promise<FullHttpResponse> exchange = channel.eventLoop().newPromise();
            exchange.addListener((Future<FullHttpResponse> done) -> {
                if (done.isSuccess() && HttpUtil.isKeepAlive(done.getNow()) && channel.isActive()) {
                    pool.release(channel);
                } else {
                    channel.close();
                    pool.release(channel);
                }
                if (done.isSuccess()) {
                    if (!result.trySuccess(done.getNow())) {
                        done.getNow().release();
                    }
                } else if (mayRetry && reused && done.cause() instanceof UpstreamException u
                        && u.kind() == UpstreamException.Kind.FAILED) {
                    attempt(endpoint, request, result, false);
                } else {
                    result.tryFailure(done.cause());
                }
            });
            FullHttpRequest copy = request.retainedDuplicate();
            channel.eventLoop().execute(() -> {
                ChannelHandlerContext ctx = channel.pipeline().context(UpstreamResponseHandler.class);
                if (ctx == null) {
                    copy.release();
                    exchange.tryFailure(new UpstreamException(UpstreamException.Kind.FAILED,
                            "endpoint connection closed", null));
                    return;
                }
                ((UpstreamResponseHandler) ctx.handler()).begin(ctx, exchange, settings.upstreamTimeout().toMillis());
                channel.writeAndFlush(copy).addListener(written -> {
                    if (!written.isSuccess()) {
                        exchange.tryFailure(new UpstreamException(UpstreamException.Kind.FAILED,
                                "cannot send to " + endpoint + ": " + written.cause().getMessage(), written.cause()));
                    }
                });
            });
        });
    }

    private static UpstreamException connectFailure(InetSocketAddress endpoint, Throwable cause) {
        boolean timeout = cause instanceof io.netty.channel.ConnectTimeoutException;
        String what = timeout ? "connect timed out" : cause instanceof ConnectException ? "connection refused" : cause.toString();
        return new UpstreamException(timeout ? UpstreamException.Kind.TIMEOUT : UpstreamException.Kind.FAILED,
                "cannot connect to " + endpoint + ": " + what, cause);
    }

    @Override
    public void close() {
        pools.close();
    }

    private final class PoolHandler extends AbstractChannelPoolHandler {
        @Override
        public void channelCreated(Channel ch) {
            ch.pipeline().addLast(
                    new IdleStateHandler(0, 0, settings.upstreamIdle().toMillis(), TimeUnit.MILLISECONDS) {
                        @Override
                        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                            ctx.close();
                        }
                    },
                    new HttpClientCodec(),
                    new HttpObjectAggregator(settings.maxResponseBody()),
                    new UpstreamResponseHandler());
        }
    }
}
