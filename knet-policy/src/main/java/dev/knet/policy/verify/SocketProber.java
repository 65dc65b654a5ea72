package dev.knet.policy.verify;

import com.sun.nio.sctp.SctpChannel;
import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.policy.Protocol;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real probes with kernel sockets: each socket is created inside its source network namespace (a socket keeps
 * the namespace it was created in, so only creation needs the namespace switch, one per source), then every
 * connect runs non-blocking under one selector. TCP and SCTP count a completed handshake; UDP sends a datagram
 * and counts an echo (the agnhost {@code connect} convention: the server must answer). Re-sends the UDP datagram
 * once, a third of the way into the timeout, so one lost datagram is not a false "denied".
 */
public final class SocketProber implements Prober {

    private static final byte[] PAYLOAD = "knet-probe\n".getBytes(StandardCharsets.US_ASCII);

    private static volatile String sctpUnsupported;

    /** Null when this JVM and kernel can open an SCTP socket, else why not. */
    public static String sctpUnsupportedReason() {
        String reason = sctpUnsupported;
        if (reason == null) {
            try (SctpChannel ignored = SctpChannel.open()) {
                reason = "";
            } catch (IOException | UnsupportedOperationException | LinkageError e) {
                reason = "this host cannot open an SCTP socket (" + e.getMessage()
                        + "): the kernel has no SCTP support or libsctp is missing";
            }
            sctpUnsupported = reason;
        }
        return reason.isEmpty() ? null : reason;
    }

    /** A socket being probed, by its position in the request list. */
    private record Attempt(int index, SelectableChannel channel) {
    }

    @Override
    public List<ProbeResult> probe(List<ProbeRequest> requests, Duration timeout) {
        ProbeResult[] results = new ProbeResult[requests.size()];
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            bySource.computeIfAbsent(requests.get(i).sourceNetns(), k -> new ArrayList<>()).add(i);
        }
        List<Attempt> attempts = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            try {
                for (var source : bySource.entrySet()) {
                    open(requests, source.getKey(), source.getValue(), results, attempts);
                }
                for (Attempt a : attempts) {
                    start(requests.get(a.index()), a, selector, results);
                }
                await(requests, selector, results, timeout);
            } finally {
                for (Attempt a : attempts) {
                    closeQuietly(a.channel());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open a selector", e);
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = new ProbeResult(requests.get(i), ProbeResult.Outcome.TIMED_OUT,
                        "no answer within " + timeout.toMillis() + " ms");
            }
        }
        return Arrays.asList(results);
    }

    /** Creates the sockets of one source inside its namespace; failures become results at once. */
    private static void open(List<ProbeRequest> requests, String netns, List<Integer> indices, ProbeResult[] results,
                             List<Attempt> attempts) {
        List<Attempt> opened;
        try {
            opened = NetnsThread.run(netns, () -> {
                List<Attempt> out = new ArrayList<>();
                for (int i : indices) {
                    SelectableChannel channel = socket(requests.get(i), results, i);
                    if (channel != null) {
                        out.add(new Attempt(i, channel));
                    }
                }
                return out;
            });
        } catch (Exception e) {
            for (int i : indices) {
                results[i] = new ProbeResult(requests.get(i), ProbeResult.Outcome.ERROR,
                        "cannot open a socket in network namespace " + netns + ": " + e.getMessage());
            }
            return;
        }
        attempts.addAll(opened);
    }

    private static SelectableChannel socket(ProbeRequest request, ProbeResult[] results, int index) throws IOException {
        return switch (request.protocol()) {
            case TCP -> SocketChannel.open();
            case UDP -> DatagramChannel.open();
            case SCTP -> {
                String why = sctpUnsupportedReason();
                if (why != null) {
                    results[index] = new ProbeResult(request, ProbeResult.Outcome.UNSUPPORTED, why);
                    yield null;
                }
                yield SctpChannel.open();
            }
        };
    }

    private static void start(ProbeRequest request, Attempt a, Selector selector, ProbeResult[] results) {
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(request.address()), request.port());
            a.channel().configureBlocking(false);
            switch (a.channel()) {
                case SocketChannel tcp -> {
                    tcp.setOption(StandardSocketOptions.SO_LINGER, 0); // RST on close: no TIME_WAIT pile-up
                    if (tcp.connect(target)) {
                        results[a.index()] = connected(request);
                    } else {
                        tcp.register(selector, SelectionKey.OP_CONNECT, a.index());
                    }
                }
                case DatagramChannel udp -> {
                    udp.connect(target);
                    udp.write(ByteBuffer.wrap(PAYLOAD));
                    udp.register(selector, SelectionKey.OP_READ, a.index());
                }
                case SctpChannel sctp -> {
                    if (sctp.connect(target)) {
                        results[a.index()] = connected(request);
                    } else {
                        sctp.register(selector, SelectionKey.OP_CONNECT, a.index());
                    }
                }
                default -> throw new IllegalStateException("unexpected channel " + a.channel());
            }
        } catch (IOException e) {
            results[a.index()] = failed(request, e);
        }
    }

    private static void await(List<ProbeRequest> requests, Selector selector, ProbeResult[] results, Duration timeout)
            throws IOException {
        long now = System.nanoTime();
        long deadline = now + timeout.toNanos();
        long resendAt = now + timeout.toNanos() / 3;
        while (!selector.keys().isEmpty() && now < deadline) {
            long wait = Math.min(deadline, resendAt > now ? resendAt : deadline) - now;
            selector.select(Math.max(1, wait / 1_000_000));
            for (SelectionKey key : selector.selectedKeys()) {
                int index = (Integer) key.attachment();
                results[index] = finish(requests.get(index), key);
                if (results[index] != null) {
                    key.cancel();
                }
            }
            selector.selectedKeys().clear();
            selector.selectNow(); // flush cancelled keys so keys() only holds pending probes
            now = System.nanoTime();
            if (now >= resendAt) {
                resendAt = Long.MAX_VALUE;
                for (SelectionKey key : selector.keys()) {
                    if (key.channel() instanceof DatagramChannel udp) {
                        try {
                            udp.write(ByteBuffer.wrap(PAYLOAD));
                        } catch (IOException e) {
                            int index = (Integer) key.attachment();
                            results[index] = failed(requests.get(index), e);
                            key.cancel();
                        }
                    }
                }
            }
        }
    }

    /** The result of a ready key, or null when it needs more waiting. */
    private static ProbeResult finish(ProbeRequest request, SelectionKey key) {
        try {
            return switch (key.channel()) {
                case SocketChannel tcp -> tcp.finishConnect() ? connected(request) : null;
                case SctpChannel sctp -> sctp.finishConnect() ? connected(request) : null;
                case DatagramChannel udp -> udp.read(ByteBuffer.allocate(512)) > 0 ? connected(request) : null;
                default -> throw new IllegalStateException("unexpected channel " + key.channel());
            };
        } catch (IOException e) {
            return failed(request, e);
        }
    }

    private static ProbeResult connected(ProbeRequest request) {
        return new ProbeResult(request, ProbeResult.Outcome.CONNECTED, "");
    }

    private static ProbeResult failed(ProbeRequest request, IOException e) {
        ProbeResult.Outcome outcome = e instanceof ConnectException || e instanceof PortUnreachableException
                ? ProbeResult.Outcome.REFUSED : ProbeResult.Outcome.ERROR;
        return new ProbeResult(request, outcome, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static void closeQuietly(SelectableChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // a probe socket that fails to close has nothing left to tell
        }
    }
}
