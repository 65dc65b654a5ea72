package dev.knet.agent.services.bench;

import dev.knet.agent.services.Backend;
import dev.knet.agent.services.EndpointInfo;
import dev.knet.agent.services.NodeInfo;
import dev.knet.agent.services.Protocol;
import dev.knet.agent.services.ServiceInfo;
import dev.knet.agent.services.ServiceKey;
import dev.knet.agent.services.ServiceProxy;
import dev.knet.dataplane.nft.LibNftables;
import dev.knet.dataplane.nft.NftException;
import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.model.net.Cidr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (a) as the agent lives it: SERVICES x ENDPOINTS handed to the running {@link ServiceProxy} as
 * service and endpoint events, then the initial lists marked synced; the clock stops when the one full-sync
 * transaction has returned from the kernel (libnftables in-process). Split into what happened before the
 * transaction (event intake, snapshot, generation, text) and the transaction itself, with the process's CPU
 * time beside the wall time (the machine is shared). The proxy generates services while the lists arrive, on its
 * sync thread: "feeding the events" overlaps that generation, and what is left of it after the lists shows in
 * "sync until the transaction". The peer, in the same run: the chain-per-endpoint layout
 * of the same services generated and loaded with {@code nft -f}. Each side gets its own scratch namespace
 * {@code knet-bench-<random>-a|b}, deleted at the end. Run as root:
 * {@code java -cp ... dev.knet.agent.services.bench.FullSyncBench [services] [endpoints] [no-peer]}.
 */
public final class FullSyncBench {

    private FullSyncBench() {
    }

    /** Wraps the real Nftables to time the transaction apart from what came before it. */
    private static final class Timed implements Nftables {
        final Nftables delegate;
        volatile long startAt;
        volatile long doneAt;
        volatile NftTransaction last;

        Timed(Nftables delegate) {
            this.delegate = delegate;
        }

        volatile int runs;
        volatile long firstDoneAt;

        @Override
        public void run(NftTransaction tx) throws NftException {
            long t = System.nanoTime();
            if (runs == 0) {
                startAt = t;
            }
            delegate.run(tx);
            doneAt = System.nanoTime();
            if (runs == 0) {
                firstDoneAt = doneAt;
            }
            runs++;
            last = last == null ? tx : last;
            lastRun = tx;
        }

        volatile NftTransaction lastRun;

        @Override
        public boolean fastElementBatches() {
            return delegate.fastElementBatches();
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
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // "no-peer" skips the three minutes of nft -f, for profiling knet's side alone.
        boolean withPeer = !(args.length > 2 && args[2].equals("no-peer"));
        String base = "knet-bench-" + ThreadLocalRandom.current().nextInt(1_000_000);
        String ours = base + "-a";
        String theirs = base + "-b";
        String warm = base + "-c";
        NodeInfo node = new NodeInfo("node-a", List.of("198.18.0.2"), Cidr.parse("10.244.1.0/24"), Cidr.parse("10.244.0.0/16"), "eth0");
        Cidr vips = Cidr.parse("10.96.0.0/16");
        Cidr pods = Cidr.parse("10.244.0.0/16");
        System.out.printf("services=%d endpoints/service=%d%n", services, perService);
        List<String> created = new ArrayList<>();
        try {
            for (String ns : List.of(ours, theirs, warm)) {
                run("ip", "netns", "add", ns);
                created.add(ns);
            }
            // The first sync runs in a cold JVM, as at agent start; the second, into a fresh namespace, in a warm
            // one, as a full resync after a failure. The goal is judged on the first.
            double knetMs = knetSync("cold JVM", ours, node, services, perService);
            knetSync("warm JVM", warm, node, services, perService);
            if (!withPeer) {
                return;
            }
            Map<String, List<Backend>> peer = new LinkedHashMap<>();
            for (int s = 0; s < services; s++) {
                List<Backend> backends = new ArrayList<>();
                for (int e = 0; e < perService; e++) {
                    backends.add(new Backend(pods.addressStringAt(512 + (long) s * perService + e), 8080, false));
                }
                peer.put(vips.addressStringAt(s + 1) + " . tcp . 80", backends);
            }
            long t0 = System.nanoTime();
            String text = ChainPerEndpointLayout.full(peer).toString();
            long gen = System.nanoTime() - t0;
            double[] load = load(theirs, text);
            double peerMs = gen / 1e6 + load[0];
            System.out.printf("peer (chain-per-endpoint, nft -f): %.0f ms wall (generate %.0f ms + nft -f %.0f ms, nft cpu %.0f ms)%n",
                    peerMs, gen / 1e6, load[0], load[1]);
            System.out.printf("ratio wall (peer / knet): %.1fx; knet %.0f ms (goal <= 2000 ms and >= 15x)%n", peerMs / knetMs, knetMs);
        } finally {
            for (String ns : created) {
                run("ip", "netns", "delete", ns);
            }
        }
    }

    /** Feeds the services to a fresh proxy writing into {@code ns}; returns events-to-kernel wall ms. */
    private static double knetSync(String label, String ns, NodeInfo node, int services, int perService) throws Exception {
        Cidr vips = Cidr.parse("10.96.0.0/16");
        Cidr pods = Cidr.parse("10.244.0.0/16");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (LibNftables lib = new LibNftables(ns)) {
            Timed nft = new Timed(lib);
            ServiceProxy.Config config = new ServiceProxy.Config(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ZERO);
            try (ServiceProxy proxy = new ServiceProxy(node, nft, new SimpleMeterRegistry(), config)) {
                if (!label.startsWith("cold")) {
                    // Before the warm run only: a full collection makes G1 shrink the heap to a few MB, and an agent
                    // starting cold has its JVM's initial heap, not a shrunk one.
                    System.gc();
                }
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int s = 0; s < services; s++) {
                    ServiceKey key = new ServiceKey("bench", "svc-" + s);
                    proxy.onServiceUpdate(ServiceInfo.clusterIp(key, vips.addressStringAt(s + 1),
                            List.of(new ServiceInfo.Port("http", Protocol.TCP, 80, 0))));
                    List<EndpointInfo> eps = new ArrayList<>(perService);
                    for (int e = 0; e < perService; e++) {
                        eps.add(new EndpointInfo(pods.addressStringAt(512 + (long) s * perService + e), Map.of("http", 8080),
                                EndpointInfo.Conditions.READY, "node-b", false));
                    }
                    proxy.onEndpointsUpdate(key, eps);
                }
                long fed = System.nanoTime();
                proxy.markServicesSynced();
                proxy.markEndpointsSynced();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (proxy.status().syncs() == 0) {
                    if (proxy.status().failures() > 0 || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the full sync did not succeed: " + proxy.status());
                    }
                    Thread.sleep(5); // a bench polls; tests use Awaitility
                }
                long cpu = os.getProcessCpuTime() - cpu0;
                double ms = (nft.doneAt - t0) / 1e6;
                System.out.printf("knet (proxy, libnftables, %s), %s: events to kernel %.0f ms wall, process cpu %.0f ms; of which"
                        + " feeding the events %.0f ms, sync until the transaction %.0f ms, transaction(s) in the kernel %.0f ms%n",
                        nft.runs == 2 ? "structure by nft, elements by netlink" : "one nft transaction", label, ms, cpu / 1e6,
                        (fed - t0) / 1e6, (nft.startAt - fed) / 1e6, (nft.doneAt - nft.startAt) / 1e6);
                if (nft.runs == 2) {
                    System.out.printf("  structure transaction %.0f ms (%d operations), element batch %.0f ms (%d elements)%n",
                            (nft.firstDoneAt - nft.startAt) / 1e6, nft.last.size(), (nft.doneAt - nft.firstDoneAt) / 1e6,
                            nft.lastRun.size());
                }
                // The text again, after the clock stopped: how many statements nft parsed and what rendering costs.
                long r0 = System.nanoTime();
                String text = nft.last.toString();
                System.out.printf("  first transaction: %d operations as %d statements, %.1f MB of text (rendering it again: %.0f ms)%n",
                        nft.last.size(), text.lines().count(), text.length() / 1e6, (System.nanoTime() - r0) / 1e6);
                return ms;
            }
        }
    }

    /** Loads a ruleset text with nft -f in the namespace; returns {wall ms, cpu ms (user + sys of nft)}. */
    private static double[] load(String ns, String text) throws Exception {
        Path file = Files.createTempFile("knet-bench", ".nft");
        Path times = Files.createTempFile("knet-bench", ".time");
        try {
            Files.writeString(file, text);
            long t0 = System.nanoTime();
            run("/usr/bin/time", "-o", times.toString(), "-f", "%U %S", "ip", "netns", "exec", ns, "nft", "-f", file.toString());
            double wall = (System.nanoTime() - t0) / 1e6;
            String[] us = Files.readString(times).strip().split("\\s+");
            return new double[] {wall, (Double.parseDouble(us[us.length - 2]) + Double.parseDouble(us[us.length - 1])) * 1000};
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(times);
        }
    }

    private static void run(String... cmd) throws Exception {
        if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
