package dev.knet.dns.cli;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.metrics.DnsMetrics;
import dev.knet.dns.metrics.MetricsHttpServer;
import dev.knet.dns.server.DnsServer;
import dev.knet.model.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code knet dns serve -f DIR}: serves the records that manifests alone define (Services with
 * their clusterIPs, EndpointSlices, Pods with their IPs, hostnames and subdomains) until killed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the cluster zone for the objects in manifest files")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, description = "Manifest file or directory")
    List<Path> files;

    @Option(names = "--listen", defaultValue = "127.0.0.1:5353", description = "UDP and TCP address (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--zone", defaultValue = ZoneSettings.DEFAULT_ZONE, description = "Cluster domain (default ${DEFAULT-VALUE})")
    String zone;

    @Option(names = "--upstream", description = "Resolver for other names, IP:PORT (repeatable); none: REFUSED")
    List<String> upstreams = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "30", description = "TTL of every record, seconds (default ${DEFAULT-VALUE})")
    long ttl;

    @Option(names = "--pod-records", defaultValue = "INSECURE",
            description = "a-b-c-d.<ns>.pod records: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    ZoneSettings.PodRecords podRecords;

    @Option(names = "--metrics-listen", description = "Serve Prometheus text at http://ADDR/metrics")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        var settings = new ZoneSettings(zone, ttl, podRecords, ZoneSettings.EndpointSource.SLICES_OR_PODS);
        var index = new ClusterDnsIndex(settings);
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new ArrayList<>();
        for (Path file : files) {
            objects.addAll(Manifests.read(file));
        }
        index.replaceAll(objects);
        List<InetSocketAddress> servers = upstreams.stream().map(ServeCommand::address).toList();
        DnsMetrics metrics = new DnsMetrics();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        try (DnsServer server = DnsServer.builder().zone(index::snapshot).listen(address(listen))
                .upstreams(servers).metrics(metrics).build().start();
             MetricsHttpServer http = metricsListen == null ? null : new MetricsHttpServer(address(metricsListen), metrics)) {
            out.printf("knet dns: serving %s (%d names from %d objects) on %s udp+tcp%s%n", settings.zone(),
                    index.snapshot().nameCount(), objects.size(), format(server.address()),
                    http == null ? "" : ", metrics on http://" + format(http.address()) + "/metrics");
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "knet-dns-shutdown"));
            stopped.await();
        }
        return 0;
    }

    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected IP:PORT, got \"" + text + "\"");
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        try {
            return new InetSocketAddress(java.net.InetAddress.ofLiteral(host), Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected IP:PORT, got \"" + text + "\"", e);
        }
    }

    private static String format(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

}
