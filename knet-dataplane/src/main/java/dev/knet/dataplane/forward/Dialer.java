package dev.knet.dataplane.forward;

import dev.knet.dataplane.netns.NetnsThread;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Opens the far side of a forwarded connection. */
@FunctionalInterface
public interface Dialer {

    SocketChannel dial(InetSocketAddress target) throws IOException;

    /** Connects from the calling process's own namespace (tests, loopback targets). */
    static Dialer direct() {
        return SocketChannel::open;
    }

    /**
     * Connects from inside {@code netns}: the socket is created there (and so routes there), then
     * connected from an ordinary thread; the caller's namespace gains no route, address or rule.
     */
    static Dialer fromNamespace(String netns) {
        return target -> {
            SocketChannel channel;
            try {
                channel = NetnsThread.run(netns, SocketChannel::open);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot open a socket in " + netns, e);
            }
            try {
                channel.connect(target);
                return channel;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        };
    }
}
