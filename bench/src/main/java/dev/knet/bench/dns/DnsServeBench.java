package dev.knet.bench.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.server.DnsServer;
import dev.knet.model.Manifests;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * knet's side of the DNS benchmark: serves the zone that manifests define, like
 * {@code knet dns serve}, with the event-loop thread count as a knob, until killed.
 * Prints one line {@code READY ip:port names=N} once it answers.
 * Usage: {@code DnsServeBench DIR IP:PORT [THREADS]}.
 */
public final class DnsServeBench {

    private DnsServeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DnsServeBench DIR IP:PORT [THREADS]");
            System.exit(2);
        }
        var index = new ClusterDnsIndex(ZoneSettings.defaults());
        var objects = Manifests.read(Path.of(args[0]));
        index.replaceAll(objects);
        int colon = args[1].lastIndexOf(':');
        var listen = new InetSocketAddress(InetAddress.ofLiteral(args[1].substring(0, colon)),
                Integer.parseInt(args[1].substring(colon + 1)));
        var builder = DnsServer.builder().zone(index::snapshot).listen(listen);
        if (args.length > 2) {
            builder.threads(Integer.parseInt(args[2]));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (DnsServer server = builder.build().start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "bench-dns-shutdown"));
            System.out.printf("READY %s:%d names=%d objects=%d%n", server.address().getAddress().getHostAddress(),
                    server.address().getPort(), index.snapshot().nameCount(), objects.size());
            System.out.flush();
            stopped.await();
        }
    }
}
