package dev.knet.dns.server;

import io.netty.buffer.ByteBuf;
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

    /**
     * A reply ready at once (a zone answer) is only written here and flushed in
     * {@link #channelReadComplete}, so the replies to one read batch leave in one sendmmsg call;
     * a reply that completes later (upstream) is flushed on its own.
     */
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        var sender = packet.sender();
        var reply = service.handle(packet.content(), Transport.UDP, ctx.alloc());
        if (reply.isDone() && !reply.isCompletedExceptionally()) {
            ByteBuf out = reply.getNow(null);
            if (out != null) {
                ctx.write(new DatagramPacket(out, sender), ctx.voidPromise());
            }
            return;
        }
        reply.whenComplete((out, error) -> {
            if (out != null) {
                ctx.writeAndFlush(new DatagramPacket(out, sender), ctx.voidPromise());
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** A UDP socket serves every client: one bad packet or send error must never close it. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("UDP error", cause);
    }
}
