package dev.knet.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

/**
 * Last handler of a pooled endpoint connection: gathers the response of the request in flight and
 * completes its promise. It aggregates itself instead of using HttpObjectAggregator: the common
 * response arrives as a head and one last chunk, whose buffer becomes the body as it is (no
 * composite buffer to build and free per response); only a body in several chunks is gathered
 * into a composite, bounded by maxBody.
 */
final class UpstreamResponseHandler extends ChannelInboundHandlerAdapter {

    private final int maxBody;
    private Promise<FullHttpResponse> pending;
    private LazyDeadline timeout;
    private HttpResponse head;
    private ByteBuf body;

    UpstreamResponseHandler(int maxBody) {
        this.maxBody = maxBody;
    }

    /** Runs on the connection's event loop before the request is written; timeoutMillis is the same each time. */
    void begin(ChannelHandlerContext ctx, Promise<FullHttpResponse> promise, long timeoutMillis) {
        this.pending = promise;
        if (timeout == null) {
            timeout = new LazyDeadline(ctx.executor(), timeoutMillis, () -> {
                fail(new UpstreamException(UpstreamException.Kind.TIMEOUT,
                        "no response within " + timeoutMillis + " ms", null));
                ctx.close();
            });
        }
        timeout.arm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pending == null) {
            // nothing asked for it: a response after a timeout, or garbage
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                malformed(ctx, response.decoderResult().cause());
                return;
            }
            head = response;
        }
        if (msg instanceof HttpContent content) {
            if (head == null || !content.decoderResult().isSuccess()) {
                content.release();
                malformed(ctx, content.decoderResult().cause());
                return;
            }
            if (!append(ctx, content.content())) {
                fail(new UpstreamException(UpstreamException.Kind.FAILED,
                        "response body larger than " + maxBody + " bytes", null));
                ctx.close();
                return;
            }
            if (content instanceof LastHttpContent last) {
                complete(last);
            }
        }
    }

    /** Takes ownership of chunk; false when the body grew past maxBody. */
    private boolean append(ChannelHandlerContext ctx, ByteBuf chunk) {
        if (body == null) {
            body = chunk;
        } else {
            CompositeByteBuf composite;
            if (body instanceof CompositeByteBuf c) {
                composite = c;
            } else {
                composite = ctx.alloc().compositeBuffer(64);
                composite.addComponent(true, body);
                body = composite;
            }
            composite.addComponent(true, chunk);
        }
        return body.readableBytes() <= maxBody;
    }

    private void complete(LastHttpContent last) {
        FullHttpResponse full = new DefaultFullHttpResponse(head.protocolVersion(), head.status(), body,
                head.headers(), last.trailingHeaders());
        head = null;
        body = null;
        Promise<FullHttpResponse> p = finish();
        if (!p.trySuccess(full)) {
            full.release();
        }
    }

    private void malformed(ChannelHandlerContext ctx, Throwable cause) {
        fail(new UpstreamException(UpstreamException.Kind.FAILED, "malformed response", cause));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel();
        }
        fail(new UpstreamException(UpstreamException.Kind.FAILED, "endpoint closed the connection before responding", null));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new UpstreamException(UpstreamException.Kind.FAILED, "endpoint connection failed: " + cause.getMessage(), cause));
        ctx.close();
    }

    private void fail(UpstreamException e) {
        head = null;
        if (body != null) {
            body.release();
            body = null;
        }
        if (pending != null) {
            finish().tryFailure(e);
        }
    }

    private Promise<FullHttpResponse> finish() {
        Promise<FullHttpResponse> p = pending;
        pending = null;
        if (timeout != null) {
            timeout.disarm();
        }
        return p;
    }
}
