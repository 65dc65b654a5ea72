package dev.knet.agent.services.bench;

import dev.knet.agent.services.NodeInfo;
import dev.knet.agent.services.ServiceProxy;
import dev.knet.agent.services.ServiceProxyFeed;
import dev.knet.agent.services.ServiceTranslator;
import dev.knet.dataplane.nft.LibNftables;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.NftException;
import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One endpoint change with a big table loaded, measured the way the agent lives it: a fabric8 EndpointSlice
 * event goes into {@link ServiceProxyFeed}, the proxy's sync thread regenerates the touched service and applies
 * its element changes, and the clock stops when the transaction has returned from the kernel. knet's path
 * (libnftables in-process) runs beside the peer path (the same proxy applying through an {@code nft} process).
 * Everything happens in a scratch namespace {@code knet-bench-<random>}, deleted at the end.
 * Run as root: {@code java -cp ... dev.knet.agent.services.bench.EndpointChangeBench [services] [endpoints] [changes]}.
 */
public final class EndpointChangeBench {

    private static final Cidr VIPS = Cidr.parse("10.96.0.0/16");
    private static final Cidr PODS = Cidr.parse("10.244.0.0/16");

    /** Wraps the real Nftables: stamps the moment each transaction is in the kernel and wakes the bench. */
    private static final class Stamped implements Nftables {
        final Nftables delegate;
        final Semaphore applied = new Semaphore(0);
        volatile long doneAt;
        volatile long startAt;
        volatile long applyNanos;

        Stamped(Nftables delegate) {
            this.delegate = delegate;
        }

        @Override
        public void run(NftTransaction tx) throws NftException {
            long t0 = System.nanoTime();
            startAt = t0;
            delegate.run(tx);
            long t1 = System.nanoTime();
            applyNanos = t1 - t0;
            doneAt = t1;
            applied.release();
        }

        @Override
        public String dump() throws NftException {
            return delegate.dump();
        }

        @Override
        public String list(NftObject.Flushable object) throws NftException {
            return delegate.list(object);
        }
    }

    public static void main(String[] args) throws Exception {
        // The agent logs partial syncs at DEBUG; a bench must not pay for a console line per change.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String ns = "knet-bench-" + ThreadLocalRandom.current().nextInt(1_000_000);
        NodeInfo node = new NodeInfo("node-a", List.of("198.18.0.2"), Cidr.parse("10.244.1.0/24"), Cidr.parse("10.244.0.0/16"), "eth0");
        System.out.printf("services=%d endpoints/service=%d changes=%d%n", services, perService, changes);
        spread(perService);
        run("ip", "netns", "add", ns);
        try {
            double[] ours;
            double[] text;
            try (LibNftables lib = new LibNftables(ns, true)) {
                ours = measure("knet (netlink element batches)", new Stamped(lib), node, services, perService, changes, 0);
            }
            try (LibNftables lib = new LibNftables(ns, false)) {
                text = measure("knet, elements through libnftables", new Stamped(lib), node, services, perService, changes, 2);
            }
            double[] peer = measure("peer (nft process)", new Stamped(new NftCommand(ns, Duration.ofMinutes(30))), node,
                    services, perService, changes, 1);
            System.out.printf("ratio event-to-kernel p50 (peer / knet): %.1fx, p99: %.1fx%n", peer[0] / ours[0], peer[1] / ours[1]);
            System.out.printf("ratio apply-only p50 (peer / knet): %.1fx%n", peer[2] / ours[2]);
            System.out.printf("ratio event-to-kernel p50 (libnftables text / netlink batches): %.1fx, p99: %.1fx%n",
                    text[0] / ours[0], text[1] / ours[1]);
        } finally {
            run("ip", "netns", "delete", ns);
        }
    }

    /** Bucket shares for one service port with n endpoints, exact: numgen picks each bucket with 1/buckets. */
    private static void spread(int n) {
        int buckets = n <= 64 ? n : ((n + 63) / 64) * 64;
        int[] per = new int[n];
        for (int b = 0; b < buckets; b++) {
            per[b % n]++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(String.format(" ep%d=%d/%d (%.2f%%)", i, per[i], buckets, 100.0 * per[i] / buckets));
        }
        System.out.println("spread over " + n + " endpoints:" + out);
    }

    /** Loads the table through the proxy, then times single-endpoint changes; returns {p50, p99, apply p50} ms. */
    private static double[] measure(String label, Stamped nft, NodeInfo node, int services, int perService, int changes,
                                    int salt) throws Exception {
        ServiceProxy.Config config = new ServiceProxy.Config(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ZERO);
        try (ServiceProxy proxy = new ServiceProxy(node, nft, new SimpleMeterRegistry(), config)) {
            ServiceProxyFeed feed = new ServiceProxyFeed(proxy, node.name());
            long t0 = System.nanoTime();
            for (int s = 0; s < services; s++) {
                feed.serviceUpserted(service(s));
                feed.sliceUpserted(slice(s, endpoints(s, perService, -1, 0)));
            }
            feed.servicesListed();
            feed.slicesListed();
            if (!nft.applied.tryAcquire(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the full sync did not finish");
            }
            System.out.printf("%s: full load through the proxy %.0f ms (apply %.0f ms)%n", label,
                    (nft.doneAt - t0) / 1e6, nft.applyNanos / 1e6);
            // Warm-up (the JIT compiles the partial path after a few thousand runs, as in a long-lived agent)
            // and a collection of the full load's garbage.
            int warmup = Integer.getInteger("knet.bench.warmup", 2000);
            for (int c = 0; c < warmup; c++) {
                int s = (c * 104_729 + 13) % services;
                feed.sliceUpserted(slice(s, endpoints(s, perService, 1, 20_000 + c + salt * warmup)));
                if (!nft.applied.tryAcquire(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("warm-up change " + c + " was not applied");
                }
            }
            System.gc();
            long[] total = new long[changes];
            long[] apply = new long[changes];
            long[] before = new long[changes];
            long[] feedCall = new long[changes];
            for (int c = 0; c < changes; c++) {
                int s = (c * 7919) % services;
                // Replace the first endpoint by a fresh address: one backend element changes.
                EndpointSlice changed = slice(s, endpoints(s, perService, 0, 1 + c + salt * changes));
                long start = System.nanoTime();
                feed.sliceUpserted(changed);
                feedCall[c] = System.nanoTime() - start;
                if (!nft.applied.tryAcquire(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("change " + c + " was not applied");
                }
                total[c] = nft.doneAt - start;
                apply[c] = nft.applyNanos;
                before[c] = nft.startAt - start;
            }
            if (proxy.status().fullSyncs() != 1) {
                throw new IllegalStateException("a change fell back to a full sync: " + proxy.status());
            }
            Arrays.sort(total);
            Arrays.sort(apply);
            Arrays.sort(before);
            Arrays.sort(feedCall);
            double[] r = {pct(total, 50), pct(total, 99), pct(apply, 50), pct(apply, 99)};
            System.out.printf("%s: one endpoint change, EndpointSlice event to rule in kernel: p50 %.3f ms, p99 %.3f ms"
                    + " (apply only: p50 %.3f ms, p99 %.3f ms; event to apply start: p50 %.3f ms, of which the feed call"
                    + " %.3f ms) over %d changes after %d warm-up changes%n",
                    label, r[0], r[1], r[2], r[3], pct(before, 50), pct(feedCall, 50), changes, warmup);
            return r;
        }
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static Service service(int s) {
        return new ServiceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + s).endMetadata()
                .withNewSpec().withClusterIP(VIPS.addressStringAt(s + 1))
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec().build();
    }

    /** The endpoint addresses of service s; endpoint {@code replaced} (if >= 0) gets a fresh address (10.245/16). */
    private static List<String> endpoints(int s, int perService, int replaced, int fresh) {
        List<String> out = new ArrayList<>();
        for (int e = 0; e < perService; e++) {
            out.add(e == replaced ? "10.245." + (fresh / 250 % 250) + "." + (1 + fresh % 250)
                    : PODS.addressStringAt(512 + (long) s * perService + e));
        }
        return out;
    }

    private static EndpointSlice slice(int s, List<String> ips) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + s + "-abcde")
                .withLabels(Map.of(ServiceTranslator.SERVICE_NAME_LABEL, "svc-" + s)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        for (String ip : ips) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNodeName("node-b")
                    .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().build());
        }
        return b.build();
    }

    private static void run(String... cmd) throws Exception {
        if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
