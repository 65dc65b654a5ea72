package dev.knet.workloads.pod;

import dev.knet.workloads.net.NettyLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Creates a pod's sockets inside its network namespace: the single place where knet-workloads
 * enters a namespace. Each method creates the socket (and binds or connects it) inside
 * {@link NetnsExecutor#inNetns}; afterwards the socket may be used from any thread, and listening
 * channels are served by the shared event loops.
 *
 * <p>Netty creates a channel's file descriptor inside {@code bind()}/{@code connect()} on the
 * calling thread (the bind itself then runs on the event loop, but a socket's namespace was fixed
 * at creation), which is why the whole {@code bind().sync()} runs inside the namespace.
 */
public final class PodSockets {

    private final String netns;
    private final NetnsExecutor executor;
    private final NettyLoops loops;

    public PodSockets(String netns, NetnsExecutor executor, NettyLoops loops) {
        this.netns = Objects.requireNonNull(netns, "netns");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.loops = Objects.requireNonNull(loops, "loops");
    }

    public String netns() {
        return netns;
    }

    public NettyLoops loops() {
        return loops;
    }

    /** A TCP server channel bound to {@code address}; {@code childHandler} sets up each accepted connection. */
    public Channel bindTcp(InetSocketAddress address, ChannelHandler childHandler) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(childHandler);
        return inside("bind tcp " + address, () -> bootstrap.bind(address).sync().channel());
    }

    /** A UDP channel bound to {@code address}, read by {@code handler}. */
    public Channel bindUdp(InetSocketAddress address, ChannelHandler handler) throws IOException {
        Bootstrap bootstrap = new Bootstrap()
                .group(loops.group())
                .channel(loops.datagramChannel())
                .handler(handler);
        return inside("bind udp " + address, () -> bootstrap.bind(address).sync().channel());
    }

    /** A blocking TCP socket connected to {@code to} (zero timeout: none), for client calls made off the event loop. */
    public Socket connectTcp(InetSocketAddress to, Duration timeout) throws IOException {
        return inside("connect tcp " + to, () -> {
            Socket socket = new Socket();
            try {
                // zero means no deadline of our own, as with Go's DialTimeout(0): the kernel's SYN retries decide
                socket.connect(to, timeout.isZero() ? 0 : (int) Math.max(1, timeout.toMillis()));
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        });
    }

    /** An unbound-to-a-peer UDP socket on an ephemeral port, for client probes and DNS queries. */
    public DatagramSocket openUdp() throws IOException {
        return inside("open udp socket", DatagramSocket::new);
    }

    /**
     * Opens and closes an SCTP socket to learn whether the kernel has SCTP; many kernels (and the
     * lab machines) are built without it, and then the agnhost SCTP servers are skipped.
     */
    public SctpSupport probeSctp() {
        try {
            inside("probe sctp", () -> {
                com.sun.nio.sctp.SctpServerChannel.open().close();
                return null;
            });
            return new SctpSupport.Available();
        } catch (IOException | UnsupportedOperationException e) {
            return new SctpSupport.Unavailable(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Runs {@code work} on a thread inside the pod's namespace, for servers that open their own
     * sockets (the cluster DNS server). Threads it starts stay in the pod's namespace.
     */
    public <T> T inNetns(String what, Callable<T> work) throws IOException {
        return inside(what, work);
    }

    private <T> T inside(String what, Callable<T> work) throws IOException {
        try {
            return executor.inNetns(netns, work);
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PodSocketException(what + " in " + netns + " interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PodSocketException(what + " in " + netns + " failed: " + e.getMessage(), e);
        }
    }
}
