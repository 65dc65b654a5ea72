package dev.knet.proxy.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sits before the aggregator and turns a request that carries no body (no Content-Length,
 * Transfer-Encoding or Expect: most GETs) and its empty last chunk straight into a whole request.
 * The aggregator lets whole requests pass, so the common request skips building and freeing a
 * composite buffer. Anything else goes on to the aggregator unchanged and in order.
 */
final class BodilessRequestShortcut extends ChannelInboundHandlerAdapter {

    private HttpRequest held;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            HttpRequest head = held;
            held = null;
            if (msg instanceof LastHttpContent last && !last.content().isReadable() && last.decoderResult().isSuccess()
                    && last.trailingHeaders().isEmpty()) {
                last.release();
                // trailers are only read downstream, so the shared empty instance serves every request
                ctx.fireChannelRead(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                        Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
                return;
            }
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpRequest request && !(msg instanceof HttpContent) && request.decoderResult().isSuccess()
                && !mayHaveBody(request.headers())) {
            held = request;
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean mayHaveBody(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.CONTENT_LENGTH) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || headers.contains(HttpHeaderNames.EXPECT);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            // the pipeline changes (HTTP/2 upgrade) mid-request: hand on what was held
            HttpRequest head = held;
            held = null;
            ctx.fireChannelRead(head);
        }
    }
}
