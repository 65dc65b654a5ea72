package dev.knet.proxy.server;

import dev.knet.proxy.route.Scheme;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/** The handler chains for HTTP/1.1 connections and HTTP/2 streams, shared by plain and TLS listeners. */
final class Pipelines {

    static final String DEADLINE = "deadline";
    static final String SHORTCUT = "bodiless";
    static final String AGGREGATOR = "aggregator";
    static final String PROXY = "proxy";
    static final String BYTE_WATCH = "byte-watch";

    private final ProxyContext proxy;

    Pipelines(ProxyContext proxy) {
        this.proxy = proxy;
    }

    HttpServerCodec http1Codec() {
        ProxySettings s = proxy.settings();
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(s.maxInitialLine())
                .setMaxHeaderSize(s.maxHeaderBytes()));
    }

    RequestDeadlineHandler deadline() {
        return new RequestDeadlineHandler(proxy.settings().requestTimeout().toMillis());
    }

    /** What follows the codec and the deadline on an HTTP/1.1 connection. */
    void addHttp1Handlers(ChannelPipeline p, Scheme scheme) {
        p.addLast(SHORTCUT, new BodilessRequestShortcut());
        p.addLast(AGGREGATOR, new BoundedAggregator(proxy.settings().maxRequestBody()));
        p.addLast(PROXY, new ProxyRequestHandler(proxy, scheme));
    }

    /** Buffers whole requests; one over the limit is answered 413 and its connection closed. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (!(oversized instanceof HttpRequest)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            FullHttpResponse tooLarge = Responses.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + maxContentLength() + " bytes");
            tooLarge.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            // the rest of the body may still be arriving: closing is the only way to resync
            ctx.writeAndFlush(tooLarge).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Removes the HTTP/1 chain (deadline, aggregator, proxy) when a connection turns HTTP/2. */
    static void removeHttp1Handlers(ChannelPipeline p) {
        for (String name : new String[] {BYTE_WATCH, DEADLINE, SHORTCUT, AGGREGATOR, PROXY}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    /**
     * Closes an HTTP/2 connection on which nothing moved for the request deadline plus the
     * upstream timeout: long enough for a stream waiting on a slow endpoint, short enough to shed
     * clients that connect and go quiet.
     */
    ChannelHandler http2IdleLimit() {
        long millis = proxy.settings().requestTimeout().toMillis() + proxy.settings().upstreamTimeout().toMillis();
        return new IdleStateHandler(0, 0, millis, TimeUnit.MILLISECONDS) {
            @Override
            protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                ctx.close();
            }
        };
    }

    Http2FrameCodec http2FrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(proxy.settings().maxHeaderBytes()))
                .build();
    }

    /** One child channel per HTTP/2 stream, each converted to HTTP/1 objects and proxied on its own. */
    Http2MultiplexHandler http2Multiplexer(Scheme scheme) {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(proxy.settings().maxRequestBody()),
                        new ProxyRequestHandler(proxy, scheme));
            }
        });
    }

    /** Frame codec and multiplexer for a connection that speaks HTTP/2 from the start. */
    ChannelHandler http2Connection(Scheme scheme) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
                ch.pipeline().addLast(http2IdleLimit(), http2FrameCodec(), http2Multiplexer(scheme));
            }
        };
    }
}
