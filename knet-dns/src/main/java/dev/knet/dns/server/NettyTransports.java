package dev.knet.dns.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The native epoll transport when it loads, else NIO; epoll alone gives SO_REUSEPORT. */
public record NettyTransports(boolean epoll, IoHandlerFactory ioHandlerFactory,
                              Class<? extends DatagramChannel> datagramChannel,
                              Class<? extends ServerSocketChannel> serverChannel,
                              Class<? extends SocketChannel> socketChannel) {

    public static NettyTransports best() {
        return Epoll.isAvailable() ? epollTransports() : nio();
    }

    public static NettyTransports nio() {
        return new NettyTransports(false, NioIoHandler.newFactory(), NioDatagramChannel.class,
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    private static NettyTransports epollTransports() {
        return new NettyTransports(true, EpollIoHandler.newFactory(), EpollDatagramChannel.class,
                EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
