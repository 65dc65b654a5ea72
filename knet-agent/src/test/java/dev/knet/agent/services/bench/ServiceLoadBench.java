package dev.knet.agent.services.bench;

import dev.knet.agent.services.Backend;
import dev.knet.agent.services.EndpointInfo;
import dev.knet.agent.services.NodeInfo;
import dev.knet.agent.services.Protocol;
import dev.knet.agent.services.ServiceInfo;
import dev.knet.agent.services.ServiceKey;
import dev.knet.agent.services.ServiceRuleset;
import dev.knet.agent.services.ServiceRulesetGenerator;
import dev.knet.dataplane.nft.LibNftables;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.model.net.Cidr;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loads 10k services x 5 endpoints with {@code nft -f} into a scratch namespace: knet's map layout against
 * kube-proxy's chain-per-endpoint layout, then times single endpoint changes as whole-ruleset partial
 * transactions (the old path: regenerate every service, diff everything). The proxy's per-service path, from
 * EndpointSlice event to kernel, is measured by {@link EndpointChangeBench}.
 * Run as root: {@code java -cp ... dev.knet.agent.services.bench.ServiceLoadBench [services] [endpoints]}.
 */
public final class ServiceLoadBench {

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String ns = "knet-bench-" + ThreadLocalRandom.current().nextInt(1_000_000);
        NodeInfo node = new NodeInfo("node-a", List.of("198.18.0.2"), Cidr.parse("10.244.1.0/24"), Cidr.parse("10.244.0.0/16"), "eth0");
        Map<ServiceKey, ServiceInfo> svcs = new HashMap<>();
        Map<ServiceKey, List<EndpointInfo>> eps = new HashMap<>();
        Map<String, List<Backend>> peer = new LinkedHashMap<>();
        Cidr vips = Cidr.parse("10.96.0.0/16");
        Cidr podRange = Cidr.parse("10.244.0.0/16");
        for (int s = 0; s < services; s++) {
            ServiceKey key = new ServiceKey("bench", "svc-" + s);
            String vip = vips.addressStringAt(s + 1);
            svcs.put(key, ServiceInfo.clusterIp(key, vip, List.of(new ServiceInfo.Port("http", Protocol.TCP, 80, 0))));
            List<EndpointInfo> list = new ArrayList<>();
            List<Backend> backends = new ArrayList<>();
            for (int e = 0; e < perService; e++) {
                String ip = podRange.addressStringAt(512 + (long) s * perService + e);
                list.add(new EndpointInfo(ip, Map.of("http", 8080), EndpointInfo.Conditions.READY, "node-b", false));
                backends.add(new Backend(ip, 8080, false));
            }
            eps.put(key, list);
            peer.put(vip + " . tcp . 80", backends);
        }
        run("ip", "netns", "add", ns);
        try {
            NftCommand nft = new NftCommand(ns, java.time.Duration.ofMinutes(30));
            // Wall times on a shared machine swing with load; CPU times (this thread, the nft process) do not.
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ServiceRuleset ruleset = new ServiceRulesetGenerator(node).generate(svcs, eps);
            NftTransaction ours = ruleset.fullTransaction();
            String oursText = ours.toString();
            long genOurs = System.nanoTime() - t0;
            long genOursCpu = cpu.getCurrentThreadCpuTime() - c0;
            double[] loadOurs = load(ns, oursText);
            System.out.printf("services=%d endpoints/service=%d%n", services, perService);
            System.out.printf("knet maps:          generate %.0f ms (cpu %.0f ms) + nft -f %.0f ms (cpu %.0f ms) (%d ops, %d elements, %d rules)%n",
                    genOurs / 1e6, genOursCpu / 1e6, loadOurs[0], loadOurs[1], ours.size(), ruleset.elementCount(), ruleset.ruleCount());
            ruleset = partialLatency("nft process", nft, node, svcs, eps, ruleset);
            if (LibNftables.isAvailable()) {
                try (LibNftables lib = new LibNftables(ns)) {
                    partialLatency("libnftables (FFM)", lib, node, svcs, eps, ruleset);
                }
            }
            c0 = cpu.getCurrentThreadCpuTime();
            t0 = System.nanoTime();
            NftTransaction theirs = ChainPerEndpointLayout.full(peer);
            String theirsText = theirs.toString();
            long genTheirs = System.nanoTime() - t0;
            long genTheirsCpu = cpu.getCurrentThreadCpuTime() - c0;
            double[] loadTheirs = load(ns, theirsText);
            System.out.printf("chain-per-endpoint: generate %.0f ms (cpu %.0f ms) + nft -f %.0f ms (cpu %.0f ms) (%d ops)%n",
                    genTheirs / 1e6, genTheirsCpu / 1e6, loadTheirs[0], loadTheirs[1], theirs.size());
            double oursMs = genOurs / 1e6 + loadOurs[0];
            double theirsMs = genTheirs / 1e6 + loadTheirs[0];
            double oursCpu = genOursCpu / 1e6 + loadOurs[1];
            double theirsCpu = genTheirsCpu / 1e6 + loadTheirs[1];
            System.out.printf("total wall: knet %.0f ms, chain-per-endpoint %.0f ms; total cpu: knet %.0f ms, chain-per-endpoint %.0f ms%n",
                    oursMs, theirsMs, oursCpu, theirsCpu);
            System.out.printf("ratio cpu (chain-per-endpoint / knet): %.1fx%n", theirsCpu / oursCpu);
            System.out.printf("ratio wall (chain-per-endpoint / knet): %.1fx%n", theirsMs / oursMs);
        } finally {
            run("ip", "netns", "delete", ns);
        }
    }

    /** One endpoint change per round as a partial transaction run by an nft process (the big table loaded). */
    private static ServiceRuleset partialLatency(String label, Nftables nft, NodeInfo node, Map<ServiceKey, ServiceInfo> svcs,
                                       Map<ServiceKey, List<EndpointInfo>> eps, ServiceRuleset applied) throws Exception {
        ServiceRulesetGenerator gen = new ServiceRulesetGenerator(node);
        int rounds = 50;
        long[] nanos = new long[rounds];
        long[] nftNanos = new long[rounds];
        ServiceKey key = new ServiceKey("bench", "svc-7");
        List<EndpointInfo> original = eps.get(key);
        for (int r = 0; r < rounds; r++) {
            List<EndpointInfo> changed = new ArrayList<>(original);
            changed.set(0, new EndpointInfo("10.244.250." + (label.length() + r + 1), Map.of("http", 8080), EndpointInfo.Conditions.READY, "node-b", false));
            eps.put(key, changed);
            long t0 = System.nanoTime();
            ServiceRuleset next = gen.generate(svcs, eps);
            NftTransaction tx = next.partialTransaction(applied).orElseThrow();
            long t1 = System.nanoTime();
            nft.run(tx);
            long t2 = System.nanoTime();
            nanos[r] = t2 - t0;
            nftNanos[r] = t2 - t1;
            applied = next;
        }
        Arrays.sort(nanos);
        Arrays.sort(nftNanos);
        System.out.printf("old path, one endpoint change via %s, regenerate all + diff all + apply: p50 %.1f ms, p99 %.1f ms over %d rounds%n",
                label, nanos[rounds / 2] / 1e6, nanos[rounds * 99 / 100] / 1e6, rounds);
        System.out.printf("old path, one endpoint change via %s, apply only: p50 %.2f ms, p99 %.2f ms%n",
                label, nftNanos[rounds / 2] / 1e6, nftNanos[rounds * 99 / 100] / 1e6);
        return applied;
    }

    /** Loads a ruleset text with nft -f in the namespace; returns {wall ms, cpu ms (user + sys of nft)}. */
    private static double[] load(String ns, String text) throws Exception {
        Path file = Files.createTempFile("knet-bench", ".nft");
        Path times = Files.createTempFile("knet-bench", ".time");
        try {
            Files.writeString(file, text);
            long t0 = System.nanoTime();
            if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
                run("ip", "netns", "exec", ns, "nft", "-f", file.toString());
                return new double[] {(System.nanoTime() - t0) / 1e6, Double.NaN};
            }
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
