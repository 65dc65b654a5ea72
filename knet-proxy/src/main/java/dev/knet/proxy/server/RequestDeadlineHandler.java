package dev.knet.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;

/**
 * Cuts slow and idle HTTP/1 clients: a whole request must arrive within the deadline, counted from
 * the connection opening or from the previous response. A byte-at-a-time client (slowloris) is
 * cut like an idle one; a partly received request is answered with 408 first. Sits right after
 * the HttpServerCodec, so it sees decoded requests and complete responses; its byteWatch() sits
 * before the codec to learn that a request has begun before its headers are complete.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {

    private final long timeoutMillis;
    private LazyDeadline deadline;
    private boolean partialRequest;

    RequestDeadlineHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Goes before the HTTP codec: any byte received marks a request as begun. */
    ChannelInboundHandlerAdapter byteWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buf && buf.isReadable()) {
                    partialRequest = true;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = new LazyDeadline(ctx.executor(), timeoutMillis, () -> expire(ctx));
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent) {
            partialRequest = false;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (f.isSuccess() && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
    }

    private void arm(ChannelHandlerContext ctx) {
        deadline.arm();
    }

    private void disarm() {
        deadline.disarm();
    }

    private void expire(ChannelHandlerContext ctx) {
        if (!partialRequest) {
            ctx.close();
            return;
        }
        FullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.copiedBuffer("request not received within " + timeoutMillis + " ms\n", StandardCharsets.UTF_8));
        timeout.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, timeout.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // written from this handler's position so the codec below encodes it
        ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
    }
}
