package dev.knet.dns;

import dev.knet.model.net.IpAddresses;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful fake upstream resolver on loopback (UDP and TCP, same port), built with Netty's own
 * DNS codec: answers A/AAAA from a fixed table, NXDOMAIN otherwise, and counts what it got.
 * With {@code silent} it receives but never answers, to exercise timeouts.
 */
public final class FakeUpstream implements AutoCloseable {

    private final Map<String, Map<String, List<String>>> records;
    private final boolean silent;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Channel udp;
    private Channel tcp;
    public final AtomicInteger udpQueries = new AtomicInteger();
    public final AtomicInteger tcpQueries = new AtomicInteger();

    /** @param records lower-case name without dot -> type ("A"/"AAAA") -> addresses */
    public FakeUpstream(Map<String, Map<String, List<String>>> records, boolean silent) throws InterruptedException {
        this.records = records;
        this.silent = silent;
        // UDP picks the port; the same TCP port may already be some connection's local port, then pick again.
        for (int attempt = 1; ; attempt++) {
            bindUdp();
            try {
                bindTcp();
                return;
            } catch (Exception e) {
                udp.close().sync();
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private void bindUdp() throws InterruptedException {
        udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                        udpQueries.incrementAndGet();
                                        if (!silent) {
                                            var r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
                                            ctx.writeAndFlush(fill(q, r));
                                        }
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private void bindTcp() throws InterruptedException {
        tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
                                        tcpQueries.incrementAndGet();
                                        if (!silent) {
                                            ctx.writeAndFlush(fill(q, new DefaultDnsResponse(q.id())));
                                        }
                                    }
                                });
                    }
                })
                .bind(address()).sync().channel();
    }

    private DnsResponse fill(DnsQuery q, DnsResponse r) {
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        r.addRecord(DnsSection.QUESTION, question);
        r.setRecursionAvailable(true);
        String name = question.name().toLowerCase(java.util.Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        Map<String, List<String>> byType = records.get(name);
        if (byType == null) {
            r.setCode(DnsResponseCode.NXDOMAIN);
            return r;
        }
        for (String ip : byType.getOrDefault(question.type().name(), List.of())) {
            r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), question.type(), 60,
                    Unpooled.wrappedBuffer(IpAddresses.parse(ip))));
        }
        return r;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
