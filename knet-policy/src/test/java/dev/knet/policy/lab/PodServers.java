package dev.knet.policy.lab;

import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.policy.Protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers of one pod, like agnhost's: a TCP listener that accepts and closes, a UDP echo, per port.
 * Sockets are bound inside the pod's namespace and then served by virtual threads (a socket keeps its
 * namespace). SCTP is not served: callers skip SCTP probes when the host cannot open SCTP sockets.
 */
final class PodServers implements AutoCloseable {

    private final List<Channel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    static PodServers start(String netns, List<Integer> ports, List<Protocol> protocols) throws Exception {
        PodServers servers = new PodServers();
        List<Channel> bound = NetnsThread.run(netns, () -> {
            List<Channel> out = new ArrayList<>();
            for (int port : ports) {
                for (Protocol protocol : protocols) {
                    switch (protocol) {
                        case TCP -> {
                            ServerSocketChannel tcp = ServerSocketChannel.open();
                            tcp.bind(new InetSocketAddress(port), 128);
                            out.add(tcp);
                        }
                        case UDP -> out.add(DatagramChannel.open().bind(new InetSocketAddress(port)));
                        case SCTP -> {
                            // not served here: see the class comment
                        }
                    }
                }
            }
            return out;
        });
        servers.channels.addAll(bound);
        for (Channel channel : bound) {
            servers.threads.add(Thread.ofVirtual().name("pod-server-" + netns).start(() -> serve(channel)));
        }
        return servers;
    }

    private static void serve(Channel channel) {
        try {
            switch (channel) {
                case ServerSocketChannel tcp -> {
                    while (true) {
                        tcp.accept().close();
                    }
                }
                case DatagramChannel udp -> {
                    ByteBuffer buffer = ByteBuffer.allocate(1500);
                    while (true) {
                        buffer.clear();
                        SocketAddress from = udp.receive(buffer);
                        buffer.flip();
                        udp.send(buffer, from);
                    }
                }
                default -> throw new IllegalStateException("unexpected channel " + channel);
            }
        } catch (ClosedChannelException e) {
            // closed by close(): the pod is going away
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Channel channel : channels) {
            channel.close();
        }
        for (Thread thread : threads) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
