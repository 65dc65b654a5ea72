package dev.knet.proxy.server;

import dev.knet.proxy.route.Scheme;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;

/** The TLS listener: SNI picks the certificate, ALPN picks HTTP/2 ("h2") or HTTP/1.1. */
final class TlsInitializer extends ChannelInitializer<SocketChannel> {

    private final Pipelines pipelines;
    private final TlsContexts contexts;

    TlsInitializer(Pipelines pipelines, TlsContexts contexts) {
        this.pipelines = pipelines;
        this.contexts = contexts;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new NoCertificateSafeSni(contexts), new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                ChannelPipeline p = ctx.pipeline();
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    p.addLast(pipelines.http2IdleLimit(), pipelines.http2FrameCodec(), pipelines.http2Multiplexer(Scheme.HTTPS));
                    return;
                }
                RequestDeadlineHandler deadline = pipelines.deadline();
                p.addLast(Pipelines.BYTE_WATCH, deadline.byteWatch());
                p.addLast(pipelines.http1Codec());
                p.addLast(Pipelines.DEADLINE, deadline);
                pipelines.addHttp1Handlers(p, Scheme.HTTPS);
            }
        });
    }

    /**
     * Closes a handshake for which no certificate exists (no TLS binding yet) instead of failing
     * in the SNI handler with a stack trace per connection.
     */
    private static final class NoCertificateSafeSni extends SniHandler {
        NoCertificateSafeSni(TlsContexts contexts) {
            super(contexts);
        }

        @Override
        protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
            if (sslContext == null) {
                ctx.close();
                return;
            }
            super.replaceHandler(ctx, hostname, sslContext);
        }
    }
}
