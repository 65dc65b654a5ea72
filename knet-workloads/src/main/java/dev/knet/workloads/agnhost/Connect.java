package dev.knet.workloads.agnhost;

import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.SctpSupport;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * agnhost connect: one TCP connection or UDP exchange from inside the pod, exit code 0 on success
 * and 1 on failure, with agnhost's prefixes on stderr (UNKNOWN, TIMEOUT, DNS, REFUSED, OTHER)
 * that the Kubernetes network policy e2e tests look for.
 */
public final class Connect {

    static final Map<String, GoFlags.Kind> SPEC = Map.of("timeout", GoFlags.Kind.VALUE,
            "protocol", GoFlags.Kind.VALUE, "udp-data", GoFlags.Kind.VALUE, "sctp-data", GoFlags.Kind.VALUE);
    /** agnhost waits forever for a UDP answer without --timeout; an in-process exec must not hang a thread for good. */
    static final Duration UDP_WAIT_CAP = Duration.ofSeconds(60);

    private Connect() {
    }

    /** Runs {@code connect ARGS...} (the arguments after "connect") and returns the exit code. */
    public static int run(List<String> args, PodContext ctx, PrintStream stdout, PrintStream stderr) {
        GoFlags flags;
        Duration timeout;
        try {
            flags = GoFlags.parse(args, SPEC);
            timeout = flags.duration("timeout", Duration.ZERO);
            if (flags.positional().size() != 1) {
                throw new AgnhostUsageException("accepts 1 arg(s), received " + flags.positional().size());
            }
        } catch (AgnhostUsageException e) {
            stderr.println("Error: " + e.getMessage());
            return 1;
        }
        String dest = flags.positional().getFirst();
        return switch (flags.string("protocol", "tcp")) {
            case "", "tcp" -> tcp(dest, timeout, ctx, stderr);
            case "udp" -> udp(dest, timeout, flags.string("udp-data", "hostname"), ctx, stderr);
            case "sctp" -> sctp(ctx, stderr);
            default -> {
                stderr.println("Unsupported protocol");
                yield 1;
            }
        };
    }

    private static int tcp(String dest, Duration timeout, PodContext ctx, PrintStream stderr) {
        InetSocketAddress target;
        try {
            target = resolve(dest, ctx);
        } catch (AgnhostUsageException e) {
            return fail(stderr, "UNKNOWN: " + e.getMessage());
        } catch (UnknownHostException e) {
            return fail(stderr, "DNS: lookup " + dest + ": " + e.getMessage());
        }
        try (Socket socket = ctx.sockets().connectTcp(target, timeout)) {
            return 0;
        } catch (SocketTimeoutException e) {
            return fail(stderr, "TIMEOUT");
        } catch (ConnectException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
                return fail(stderr, "REFUSED");
            }
            return fail(stderr, "OTHER: dial tcp " + dest + ": connect: " + lower(e));
        } catch (IOException e) {
            return fail(stderr, "OTHER: dial tcp " + dest + ": " + lower(e));
        }
    }

    private static int udp(String dest, Duration timeout, String data, PodContext ctx, PrintStream stderr) {
        InetSocketAddress target;
        try {
            target = resolve(dest, ctx);
        } catch (AgnhostUsageException | UnknownHostException e) {
            return fail(stderr, "DNS: " + e.getMessage());
        }
        String op = "read udp " + dest;
        try (DatagramSocket socket = ctx.sockets().openUdp()) {
            socket.connect(target);
            Duration wait = timeout.isZero() ? UDP_WAIT_CAP : timeout;
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            byte[] out = (data + "\n").getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(out, out.length));
            byte[] in = new byte[1024];
            DatagramPacket reply = new DatagramPacket(in, in.length);
            socket.receive(reply);
            if (reply.getLength() == 0) {
                return fail(stderr, "OTHER: No data received from the server. "
                        + "Cannot guarantee the server received the request.");
            }
            return 0;
        } catch (SocketTimeoutException e) {
            return fail(stderr, "TIMEOUT: " + op + ": i/o timeout");
        } catch (PortUnreachableException e) {
            // the ICMP port unreachable that a connected UDP socket reports as ECONNREFUSED
            return fail(stderr, "REFUSED: " + op + ": connection refused");
        } catch (IOException e) {
            return fail(stderr, "UNKNOWN: " + op + ": " + lower(e));
        }
    }

    private static int sctp(PodContext ctx, PrintStream stderr) {
        String why = switch (ctx.sockets().probeSctp()) {
            case SctpSupport.Unavailable u -> "SCTP sockets are not available in this kernel (" + u.reason() + ")";
            case SctpSupport.Available a -> "knet's built-in agnhost has no SCTP client yet";
        };
        return fail(stderr, "OTHER: " + why);
    }

    private static InetSocketAddress resolve(String dest, PodContext ctx)
            throws AgnhostUsageException, UnknownHostException {
        HostPorts.HostPort hp = HostPorts.split(dest);
        return ctx.resolver().resolve(hp.host(), hp.port()).getFirst();
    }

    private static String lower(IOException e) {
        return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    }

    private static int fail(PrintStream stderr, String message) {
        stderr.println(message);
        return 1;
    }
}
