package dev.knet.dns.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers each datagram with at most one datagram; the request buffer is released on return. */
@ChannelHandler.Sharable
public final class UdpDnsHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(UdpDnsHandler.class);

    private final QueryService service;

    public UdpDnsHandler(QueryService service) {
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        var sender = packet.sender();
        service.handle(packet.content(), Transport.UDP, ctx.alloc()).whenComplete((reply, error) -> {
            if (reply != null) {
                ctx.writeAndFlush(new DatagramPacket(reply, sender), ctx.voidPromise());
            }
        });
    }

    /** A UDP socket serves every client: one bad packet or send error must never close it. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("UDP error", cause);
    }
}
