package dev.knet.dns.server;

import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.metrics.DnsMetrics;
import dev.knet.dns.index.RecordTypes;
import dev.knet.dns.wire.QueryEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The cluster DNS server: UDP and TCP on one address. With epoll it binds one UDP socket per
 * event-loop thread with SO_REUSEPORT so the kernel spreads clients over cores; with NIO a single
 * UDP socket serves. Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops it.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    /** The longest UDP query read whole (EDNS's safe size; real queries are far shorter). */
    static final int MAX_UDP_QUERY = 1232;
    private static final int UDP_READ_BATCH = 64;

    private final Builder config;
    private final List<Channel> channels = new ArrayList<>();
    private EventLoopGroup group;
    private Upstream upstream;
    private InetSocketAddress boundAddress;

    private DnsServer(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    public DnsServer start() throws InterruptedException {
        NettyTransports t = config.transports;
        int threads = Math.max(1, config.threads);
        group = t.newGroup(threads);
        try {
            if (!config.upstreams.isEmpty()) {
                upstream = new ForwardingUpstream(group, t, config.upstreams, config.upstreamTimeout);
            }
            var processor = new QueryProcessor(config.zone, Optional.ofNullable(upstream), config.maxUdpPayload);
            var service = new QueryService(processor, config.metrics);
            warmUp(processor);
            bindBoth(t, threads, service);
            LOG.info("DNS serving {} on {} (udp sockets: {}, transport: {})", config.zone.get().zone(), boundAddress,
                    channels.size() - 1, t.epoll() ? "epoll" : "nio");
            return this;
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Answers one query before binding, so class loading and JIT of the first real query do not
     * push it past a client's timeout on a busy machine. Its metrics go to a throwaway registry.
     */
    private void warmUp(QueryProcessor processor) {
        byte[] query = QueryEncoder.encode(0, "dns-version." + config.zone.get().zone(), RecordTypes.TXT, 1232);
        var warm = new QueryService(processor, new DnsMetrics());
        warm.handle(Unpooled.wrappedBuffer(query), Transport.UDP, UnpooledByteBufAllocator.DEFAULT)
                .thenAccept(reply -> {
                    if (reply != null) {
                        reply.release();
                    }
                });
    }

    /**
     * UDP and TCP share one port. With port 0 the kernel picks it for UDP, and the same TCP port
     * may already be taken (by any connection's local port): then both are given up and picked again.
     */
    private void bindBoth(NettyTransports t, int threads, QueryService service) throws InterruptedException {
        int attempts = config.listen.getPort() == 0 ? 5 : 1;
        for (int attempt = 1; ; attempt++) {
            bindUdp(t, threads, new UdpDnsHandler(service));
            try {
                bindTcp(t, service);
                return;
            } catch (Exception e) {
                // Netty's sync() rethrows the bind's IOException unchecked, hence Exception here.
                if (attempt >= attempts || e instanceof InterruptedException) {
                    throw e;
                }
                LOG.debug("TCP port {} taken, picking another port: {}", boundAddress, e.toString());
                for (Channel ch : channels) {
                    ch.close().sync();
                }
                channels.clear();
            }
        }
    }

    private void bindUdp(NettyTransports t, int threads, UdpDnsHandler handler) throws InterruptedException {
        int sockets = t.epoll() ? threads : 1;
        InetSocketAddress address = config.listen;
        for (int i = 0; i < sockets; i++) {
            Bootstrap b = new Bootstrap().group(group).channel(t.datagramChannel()).handler(handler)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20);
            if (t.epoll()) {
                // recvmmsg: one system call reads up to a batch of queries instead of one each.
                // A query longer than MAX_UDP_QUERY arrives cut short and is answered FORMERR.
                b.option(EpollChannelOption.SO_REUSEPORT, true)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_QUERY * UDP_READ_BATCH));
            }
            Channel ch = b.bind(address).sync().channel();
            channels.add(ch);
            // An ephemeral port is chosen by the first bind; the others join it.
            address = (InetSocketAddress) ch.localAddress();
        }
        boundAddress = address;
    }

    private void bindTcp(NettyTransports t, QueryService service) throws InterruptedException {
        long idle = config.tcpIdleTimeout.toMillis();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(t.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                                new LengthFieldPrepender(2),
                                new TcpDnsHandler(service));
                    }
                });
        if (t.epoll()) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        channels.add(b.bind(boundAddress).sync().channel());
    }

    /** Where it listens; with port 0 in the config, the port that was chosen (UDP and TCP share it). */
    public InetSocketAddress address() {
        return boundAddress;
    }

    public DnsMetrics metrics() {
        return config.metrics;
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        channels.clear();
        if (upstream != null) {
            upstream.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Settings; {@code zone} is required (for example {@code index::snapshot}). */
    public static final class Builder {
        private Supplier<ZoneSnapshot> zone;
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 5353);
        private final List<InetSocketAddress> upstreams = new ArrayList<>();
        private Duration upstreamTimeout = Duration.ofSeconds(2);
        private Duration tcpIdleTimeout = Duration.ofSeconds(10);
        private int maxUdpPayload = 1232;
        private int threads = Runtime.getRuntime().availableProcessors();
        private NettyTransports transports = NettyTransports.best();
        private DnsMetrics metrics;

        public Builder zone(Supplier<ZoneSnapshot> zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public Builder listen(InetSocketAddress listen) {
            this.listen = Objects.requireNonNull(listen, "listen");
            return this;
        }

        public Builder upstreams(List<InetSocketAddress> servers) {
            upstreams.clear();
            upstreams.addAll(Objects.requireNonNull(servers, "servers"));
            return this;
        }

        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder tcpIdleTimeout(Duration timeout) {
            this.tcpIdleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The largest UDP reply, and what the server advertises in OPT (1232 avoids IP fragmentation). */
        public Builder maxUdpPayload(int bytes) {
            if (bytes < 512 || bytes > 65535) {
                throw new IllegalArgumentException("maxUdpPayload out of range: " + bytes);
            }
            this.maxUdpPayload = bytes;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder transports(NettyTransports transports) {
            this.transports = Objects.requireNonNull(transports, "transports");
            return this;
        }

        public Builder metrics(DnsMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public DnsServer build() {
            Objects.requireNonNull(zone, "zone");
            if (metrics == null) {
                metrics = new DnsMetrics();
            }
            return new DnsServer(this);
        }
    }
}
