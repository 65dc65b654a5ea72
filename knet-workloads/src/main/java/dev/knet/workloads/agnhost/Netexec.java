package dev.knet.workloads.agnhost;

import dev.knet.workloads.ServerWorkload;
import dev.knet.workloads.net.HttpServers;
import dev.knet.workloads.net.UdpCommandServer;
import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.SctpSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** agnhost netexec: the HTTP server, the UDP command server, and (where the kernel has it) SCTP. */
public final class Netexec extends ServerWorkload {

    private static final Logger LOG = LoggerFactory.getLogger(Netexec.class);
    private final NetexecOptions options;
    // agnhost reports ready once a UDP (or SCTP) server listens, not when HTTP does
    private final AtomicBoolean ready = new AtomicBoolean();

    public Netexec(NetexecOptions options) {
        this.options = options;
    }

    @Override
    public String description() {
        return "agnhost netexec --http-port=" + options.httpPort() + " --udp-port=" + options.udpPort()
                + (options.sctpPort() != -1 ? " --sctp-port=" + options.sctpPort() : "");
    }

    @Override
    protected void open(PodContext ctx) throws IOException {
        NetexecRoutes routes = new NetexecRoutes(ctx, ready::get, this::exitAfter, options.httpOverride());
        track(HttpServers.bind(ctx.sockets(), new InetSocketAddress(ctx.listenAddress(), options.httpPort()), routes));
        if (options.udpPort() != -1) {
            for (InetAddress address : udpAddresses(ctx)) {
                track(UdpCommandServer.bind(ctx.sockets(), new InetSocketAddress(address, options.udpPort()),
                        (text, client) -> UdpCommands.answer(ctx.hostname(), text, client)));
            }
            ready.set(true);
        }
        if (options.sctpPort() != -1) {
            switch (ctx.sockets().probeSctp()) {
                case SctpSupport.Unavailable u -> LOG.warn("{}/{}: netexec SCTP server on port {} not started: "
                        + "SCTP sockets are not available in this kernel ({}); HTTP and UDP keep serving",
                        ctx.namespace(), ctx.name(), options.sctpPort(), u.reason());
                case SctpSupport.Available a -> LOG.warn("{}/{}: netexec SCTP server on port {} not started: "
                        + "knet's built-in agnhost has no SCTP server yet", ctx.namespace(), ctx.name(),
                        options.sctpPort());
            }
        }
    }

    private List<InetAddress> udpAddresses(PodContext ctx) throws IOException {
        if (options.udpListenAddresses().isEmpty()) {
            return List.of(ctx.listenAddress());
        }
        try {
            return options.udpListenAddresses().stream().map(a -> InetAddress.ofLiteral(a.strip())).toList();
        } catch (IllegalArgumentException e) {
            throw new IOException("parseAddress: invalid address in " + options.udpListenAddresses(), e);
        }
    }

    private void exitAfter(int code, Duration wait) {
        ready.set(false);
        if (wait.isZero()) {
            exit(code);
        } else {
            CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS).execute(() -> exit(code));
        }
    }
}
