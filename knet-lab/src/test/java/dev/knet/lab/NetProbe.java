package dev.knet.lab;

import dev.knet.dataplane.netns.NetnsThread;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/** Probes from inside a namespace without a ping binary: ICMP echo (as root) and don't-fragment UDP. */
final class NetProbe {

    /** What a don't-fragment datagram of a given size met. */
    enum DfOutcome { ANSWERED, TOO_BIG_TO_SEND, NO_ANSWER }

    private NetProbe() {
    }

    /** An ICMP echo (Java sends one when it runs as root), retried for a few seconds. */
    static boolean reachable(String netns, String ip) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean ok = NetnsThread.run(netns, () -> {
                try {
                    return InetAddress.getByName(ip).isReachable(1000);
                } catch (IOException e) {
                    return false; // "network unreachable" is an answer too
                }
            });
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends agnhost's UDP "echo" in one datagram of exactly {@code payload} bytes with the DF bit
     * set, so it either crosses every hop unfragmented or is refused (locally, by the sending
     * interface's MTU) or dropped (by a smaller hop on the way).
     */
    static DfOutcome dfEcho(String netns, String ip, int port, int payload) throws Exception {
        byte[] msg = ("echo " + "x".repeat(payload - 5)).getBytes(StandardCharsets.US_ASCII);
        DatagramChannel ch = NetnsThread.run(netns, DatagramChannel::open);
        try (ch) {
            ch.setOption(ExtendedSocketOptions.IP_DONTFRAGMENT, true);
            ch.connect(new InetSocketAddress(ip, port));
            ch.socket().setSoTimeout(1000);
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    ch.write(ByteBuffer.wrap(msg));
                } catch (IOException e) {
                    return DfOutcome.TOO_BIG_TO_SEND; // EMSGSIZE: bigger than the route's MTU
                }
                try {
                    ByteBuffer answer = ByteBuffer.allocate(payload + 16);
                    int n = receive(ch, answer);
                    if (n == payload - 5) {
                        return DfOutcome.ANSWERED;
                    }
                } catch (SocketTimeoutException e) {
                    // lost (first packets may wait for ARP): send again
                }
            }
            return DfOutcome.NO_ANSWER;
        }
    }

    private static int receive(DatagramChannel ch, ByteBuffer into) throws IOException {
        java.net.DatagramPacket packet = new java.net.DatagramPacket(into.array(), into.capacity());
        ch.socket().receive(packet);
        return packet.getLength();
    }
}
