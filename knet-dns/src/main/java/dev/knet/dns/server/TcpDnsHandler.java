package dev.knet.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the length-prefixed messages of one TCP connection (RFC 7766); the framing handlers
 * around it strip and add the two-byte length. Replies may leave out of order, as 7766 allows.
 */
public final class TcpDnsHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(TcpDnsHandler.class);

    private final QueryService service;

    public TcpDnsHandler(QueryService service) {
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        service.handle(frame, Transport.TCP, ctx.alloc()).whenComplete((reply, error) -> {
            if (reply != null) {
                ctx.writeAndFlush(reply, ctx.voidPromise());
            } else {
                ctx.close(); // unreadable garbage on a stream: nothing after it can be trusted
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TCP connection error, closing", cause);
        ctx.close();
    }
}
