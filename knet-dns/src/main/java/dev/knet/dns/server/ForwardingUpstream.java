package dev.knet.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forwards messages to upstream resolvers, trying each in turn until one answers within the
 * timeout. UDP questions share one socket and are matched by a fresh random id (the client's is
 * put back in the reply); TCP questions open one connection each.
 */
public final class ForwardingUpstream implements Upstream {

    private final EventLoopGroup group;
    private final NettyTransports transports;
    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Channel udp;

    private record Pending(CompletableFuture<byte[]> result, int clientId, byte[] query, int attempt,
                           InetSocketAddress server, io.netty.util.concurrent.ScheduledFuture<?> timer) {
    }

    public ForwardingUpstream(EventLoopGroup group, NettyTransports transports, List<InetSocketAddress> servers,
                              Duration timeout) throws InterruptedException {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no upstream servers");
        }
        this.group = group;
        this.transports = transports;
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.udp = new Bootstrap().group(group).channel(transports.datagramChannel())
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        onUdpReply(packet);
                    }
                })
                .bind(0).sync().channel();
    }

    @Override
    public CompletableFuture<byte[]> forward(byte[] query, Transport transport) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        if (query.length < 12) {
            result.completeExceptionally(new IllegalArgumentException("not a DNS message"));
            return result;
        }
        int clientId = ((query[0] & 0xff) << 8) | (query[1] & 0xff);
        switch (transport) {
            case UDP -> sendUdp(result, clientId, query.clone(), 0);
            case TCP -> sendTcp(result, query, 0);
        }
        return result;
    }

    private void sendUdp(CompletableFuture<byte[]> result, int clientId, byte[] query, int attempt) {
        if (attempt >= servers.size()) {
            result.completeExceptionally(new TimeoutException("no upstream answered within " + timeout));
            return;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(0x10000);
        } while (pending.containsKey(id));
        int upstreamId = id;
        query[0] = (byte) (id >> 8);
        query[1] = (byte) id;
        InetSocketAddress server = servers.get(attempt);
        var timer = group.next().schedule(() -> {
            Pending p = pending.remove(upstreamId);
            if (p != null) {
                sendUdp(p.result(), p.clientId(), p.query(), p.attempt() + 1);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(upstreamId, new Pending(result, clientId, query, attempt, server, timer));
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(query), server));
    }

    private void onUdpReply(DatagramPacket packet) {
        ByteBuf content = packet.content();
        if (content.readableBytes() < 12) {
            return;
        }
        int id = content.getUnsignedShort(content.readerIndex());
        Pending p = pending.get(id);
        // Only the server we asked may answer: a reply from elsewhere is ignored, not accepted.
        if (p == null || !p.server().equals(packet.sender()) || !pending.remove(id, p)) {
            return;
        }
        p.timer().cancel(false);
        byte[] reply = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), reply);
        reply[0] = (byte) (p.clientId() >> 8);
        reply[1] = (byte) p.clientId();
        p.result().complete(reply);
    }

    private void sendTcp(CompletableFuture<byte[]> result, byte[] query, int attempt) {
        if (attempt >= servers.size()) {
            result.completeExceptionally(new TimeoutException("no upstream answered within " + timeout));
            return;
        }
        CompletableFuture<byte[]> one = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group).channel(transports.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                        byte[] reply = new byte[frame.readableBytes()];
                                        frame.readBytes(reply);
                                        one.complete(reply);
                                        ctx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        one.completeExceptionally(cause);
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        one.completeExceptionally(new java.io.IOException("upstream closed the connection"));
                                    }
                                });
                    }
                });
        b.connect(servers.get(attempt)).addListener((io.netty.channel.ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                one.completeExceptionally(f.cause());
                return;
            }
            ByteBuf framed = f.channel().alloc().buffer(2 + query.length);
            framed.writeShort(query.length).writeBytes(query);
            f.channel().writeAndFlush(framed);
            var timer = f.channel().eventLoop().schedule(
                    () -> one.completeExceptionally(new TimeoutException("upstream over TCP")),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            one.whenComplete((r, e) -> {
                timer.cancel(false);
                f.channel().close();
            });
        });
        one.whenComplete((reply, error) -> {
            if (error == null) {
                result.complete(reply);
            } else {
                sendTcp(result, query, attempt + 1);
            }
        });
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        pending.values().forEach(p -> p.result().completeExceptionally(new IllegalStateException("closed")));
        pending.clear();
    }
}
