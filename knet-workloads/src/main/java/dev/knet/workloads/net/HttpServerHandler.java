package dev.knet.workloads.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Turns aggregated Netty requests into {@link HttpRequestView}s and an endpoint's answers back into responses. */
final class HttpServerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerHandler.class);
    private final HttpEndpoint endpoint;

    HttpServerHandler(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<Map.Entry<String, String>> headers = request.headers().entries();
        HttpRequestView view = new HttpRequestView(request.method().name(), uri.path(), uri.parameters(), headers,
                (InetSocketAddress) ctx.channel().remoteAddress(), request.content().toString(StandardCharsets.UTF_8));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        endpoint.handle(view).whenComplete((answer, failure) -> {
            if (failure != null) {
                LOG.warn("{} {} failed", view.method(), view.path(), failure);
                write(ctx, HttpAnswer.text(500, "internal error: " + failure.getMessage() + "\n"), false);
                return;
            }
            switch (answer) {
                case HttpAnswer.Reply reply -> write(ctx, reply, keepAlive);
                case HttpAnswer.Hangup hangup -> ctx.close();
            }
        });
    }

    private static void write(ChannelHandlerContext ctx, HttpAnswer.Reply reply, boolean keepAlive) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        HttpUtil.setContentLength(response, body.length);
        boolean close = !keepAlive || "close".equalsIgnoreCase(reply.headers().get("Connection"));
        if (!close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var written = ctx.writeAndFlush(response);
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("http connection from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
