package dev.knet.proxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

/** Last handler of a pooled endpoint connection: completes the promise of the request in flight. */
final class UpstreamResponseHandler extends ChannelInboundHandlerAdapter {

    private Promise<FullHttpResponse> pending;
    private LazyDeadline timeout;

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
        if (msg instanceof FullHttpResponse response && pending != null) {
            Promise<FullHttpResponse> p = finish();
            if (!response.decoderResult().isSuccess()) {
                response.release();
                p.tryFailure(new UpstreamException(UpstreamException.Kind.FAILED,
                        "malformed response", response.decoderResult().cause()));
                ctx.close();
            } else if (!p.trySuccess(response)) {
                response.release();
            }
            return;
        }
        // nothing asked for it: a response after a timeout, or garbage
        ReferenceCountUtil.release(msg);
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
