package dev.knet.workloads.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.TimeUnit;

/**
 * The event loops shared by every pod's workloads in one agent JVM. A channel's namespace was
 * fixed when its socket was created (see PodSockets), so one loop can serve sockets of many pods.
 */
public final class NettyLoops implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends ServerSocketChannel> serverChannel;
    private final Class<? extends DatagramChannel> datagramChannel;

    private NettyLoops(IoHandlerFactory factory, int threads, Class<? extends ServerSocketChannel> serverChannel,
                       Class<? extends DatagramChannel> datagramChannel) {
        this.group = new MultiThreadIoEventLoopGroup(threads, factory);
        this.serverChannel = serverChannel;
        this.datagramChannel = datagramChannel;
        // Start every loop thread now, from the caller's (host) namespace. Netty starts a loop's
        // thread lazily, on its first channel; if that happened inside PodSockets' setns'd thread,
        // the loop thread would inherit the pod's namespace, keep it alive after the pod is
        // deleted, and pass it on to any thread it starts (virtual-thread carriers included).
        for (EventExecutor loop : group) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
    }

    /** Native epoll when it loads, else NIO. */
    public static NettyLoops start(int threads) {
        if (Epoll.isAvailable()) {
            return new NettyLoops(EpollIoHandler.newFactory(), threads, EpollServerSocketChannel.class,
                    EpollDatagramChannel.class);
        }
        return new NettyLoops(NioIoHandler.newFactory(), threads, NioServerSocketChannel.class,
                NioDatagramChannel.class);
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
