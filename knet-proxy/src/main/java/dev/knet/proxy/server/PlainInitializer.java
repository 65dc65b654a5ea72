package dev.knet.proxy.server;

import dev.knet.proxy.route.Scheme;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

/**
 * The cleartext listener: HTTP/1.1, HTTP/2 with prior knowledge (h2c preface), and HTTP/1.1
 * "Upgrade: h2c". The HTTP/1 chain is in place from the start so the request deadline also
 * covers a first request that never completes; it is removed when the connection turns HTTP/2.
 */
final class PlainInitializer extends ChannelInitializer<SocketChannel> {

    private final Pipelines pipelines;
    private final int maxUpgradeRequest;

    PlainInitializer(Pipelines pipelines, int maxUpgradeRequest) {
        this.pipelines = pipelines;
        this.maxUpgradeRequest = maxUpgradeRequest;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        HttpServerCodec codec = pipelines.http1Codec();
        HttpServerUpgradeHandler.UpgradeCodecFactory factory = protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(pipelines.http2FrameCodec(), pipelines.http2Multiplexer(Scheme.HTTP)) {
                            @Override
                            public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest) {
                                // the upgrade request itself is answered on stream 1 by the HTTP/2 chain
                                Pipelines.removeHttp1Handlers(ctx.pipeline());
                                ctx.pipeline().addFirst(pipelines.http2IdleLimit());
                                super.upgradeTo(ctx, upgradeRequest);
                            }
                        }
                        : null;
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, factory, maxUpgradeRequest);
        ChannelPipeline p = ch.pipeline();
        RequestDeadlineHandler deadline = pipelines.deadline();
        p.addLast(Pipelines.BYTE_WATCH, deadline.byteWatch());
        p.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, pipelines.http2Connection(Scheme.HTTP)));
        p.addLast(Pipelines.DEADLINE, deadline);
        p.addLast(new PriorKnowledgeWatch());
        pipelines.addHttp1Handlers(p, Scheme.HTTP);
    }

    /** Drops the HTTP/1 chain when the client opened with the HTTP/2 preface. */
    private static final class PriorKnowledgeWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
                Pipelines.removeHttp1Handlers(ctx.pipeline());
                ctx.pipeline().remove(this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
