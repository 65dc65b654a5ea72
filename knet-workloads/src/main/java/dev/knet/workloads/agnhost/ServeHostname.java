package dev.knet.workloads.agnhost;

import dev.knet.workloads.ServerWorkload;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpServers;
import dev.knet.workloads.net.UdpCommandServer;
import dev.knet.workloads.pod.PodContext;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** agnhost serve-hostname: the hostname over raw TCP (write and close), UDP, and/or HTTP. */
public final class ServeHostname extends ServerWorkload {

    private final ServeHostnameOptions options;

    public ServeHostname(ServeHostnameOptions options) {
        this.options = options;
    }

    @Override
    public String description() {
        return "agnhost serve-hostname --port=" + options.port() + (options.tcp() ? " --tcp" : "")
                + (options.udp() ? " --udp" : "") + (options.http() ? " --http" : "");
    }

    @Override
    protected void open(PodContext ctx) throws IOException {
        InetSocketAddress address = new InetSocketAddress(ctx.listenAddress(), options.port());
        String hostname = ctx.hostname();
        if (options.tcp()) {
            track(ctx.sockets().bindTcp(address, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext c) {
                            c.writeAndFlush(Unpooled.copiedBuffer(hostname, StandardCharsets.UTF_8))
                                    .addListener(ChannelFutureListener.CLOSE);
                        }
                    });
                }
            }));
        }
        if (options.udp()) {
            track(UdpCommandServer.bind(ctx.sockets(), address, (text, client) -> Optional.of(hostname)));
        }
        if (options.http()) {
            Map<String, String> headers = options.closeEachRequest() ? Map.of("Connection", "close") : Map.of();
            HttpAnswer answer = new HttpAnswer.Reply(200, "text/plain; charset=utf-8", hostname, headers);
            track(HttpServers.bind(ctx.sockets(), address, request -> CompletableFuture.completedFuture(answer)));
        }
    }
}
