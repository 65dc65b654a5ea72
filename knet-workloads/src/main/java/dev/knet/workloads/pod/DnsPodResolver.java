package dev.knet.workloads.pod;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves names the way a pod's stub resolver would: IP literals as they are, then each search
 * candidate (ndots rules) as an A query over UDP to the pod's nameservers, sent from a socket
 * created inside the pod's namespace so the query takes the pod's own path to the cluster DNS.
 */
public final class DnsPodResolver implements PodResolver {

    private static final int DNS_PORT = 53;
    private final ResolvConfig config;
    private final PodSockets sockets;
    private final Duration timeout;
    private final int dnsPort;

    public DnsPodResolver(ResolvConfig config, PodSockets sockets) {
        this(config, sockets, Duration.ofSeconds(2), DNS_PORT);
    }

    /** {@code dnsPort} other than 53 is for tests that run a DNS stub on a loopback port. */
    public DnsPodResolver(ResolvConfig config, PodSockets sockets, Duration timeout, int dnsPort) {
        this.config = Objects.requireNonNull(config, "config");
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.dnsPort = dnsPort;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        if (isIpLiteral(host)) {
            return List.of(new InetSocketAddress(InetAddress.ofLiteral(host), port));
        }
        if (host.equals("localhost")) {
            return List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        if (config.nameservers().isEmpty()) {
            throw new UnknownHostException(host + ": the pod's resolv.conf has no nameserver");
        }
        for (String candidate : config.candidates(host)) {
            List<InetAddress> found = query(candidate);
            if (!found.isEmpty()) {
                List<InetSocketAddress> out = new ArrayList<>();
                found.forEach(a -> out.add(new InetSocketAddress(a, port)));
                return out;
            }
        }
        throw new UnknownHostException(host + ": no such host");
    }

    private List<InetAddress> query(String fqdn) throws UnknownHostException {
        IOException last = null;
        for (String server : config.nameservers()) {
            try (DatagramSocket socket = sockets.openUdp()) {
                socket.setSoTimeout((int) timeout.toMillis());
                int id = ThreadLocalRandom.current().nextInt(0x10000);
                byte[] query = DnsMessages.query(id, fqdn);
                socket.send(new DatagramPacket(query, query.length,
                        new InetSocketAddress(InetAddress.ofLiteral(server), dnsPort)));
                byte[] buffer = new byte[1500];
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    DnsMessages.Reply reply = DnsMessages.parse(buffer, packet.getLength());
                    if (reply.id() == id) { // a stray late reply to an earlier query is not ours
                        return reply.addresses();
                    }
                }
            } catch (SocketTimeoutException e) {
                last = e;
            } catch (UnknownHostException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
        }
        UnknownHostException failure = new UnknownHostException(fqdn + ": no answer from " + config.nameservers());
        failure.initCause(last);
        throw failure;
    }

    static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
