package dev.knet.policy.bench;

import dev.knet.dataplane.nft.LibNftables;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.PolicyIndex;
import dev.knet.policy.enforce.DropReasons;
import dev.knet.policy.enforce.PolicyLayout;
import dev.knet.policy.enforce.PolicyRuleset;
import dev.knet.policy.enforce.PolicyRulesetGenerator;
import dev.knet.policy.enforce.Synthetic;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * 1,000 NetworkPolicies over 300 pods, all on one node: model build, ruleset generation, and (as root) the
 * load of the full transaction into a scratch network namespace with {@code nft -f}, then a replacement.
 * Goal: generate + load within 1 s. Not a unit test; run with the test classpath.
 */
public final class PolicyEnforceBench {

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int policies = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<HasMetadata> objects = Synthetic.cluster(pods, policies);
        var generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons());
        PolicyRuleset ruleset = null;
        long modelNs = 0;
        long genNs = 0;
        long genCpuNs = 0;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            PolicyIndex index = PolicyIndex.of(ClusterSnapshot.of(objects));
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            ruleset = generator.generate(index, PolicyRulesetGenerator.localPods(objects, "n0", Synthetic::veth));
            genCpuNs = threads.getCurrentThreadCpuTime() - c1;
            long t2 = System.nanoTime();
            modelNs = t1 - t0;
            genNs = t2 - t1;
        }
        NftTransaction tx = ruleset.fullTransaction();
        System.out.printf("pods=%d policies=%d rules=%d sets=%d elements=%d transaction=%d ops, %d KiB%n", pods, policies,
                ruleset.ruleCount(), ruleset.setCount(), ruleset.elementCount(), tx.size(), tx.toString().length() / 1024);
        System.out.printf("model build %.1f ms, ruleset generation %.1f ms wall / %.1f ms CPU (warm, 5th round)%n",
                modelNs / 1e6, genNs / 1e6, genCpuNs / 1e6);
        if (!"root".equals(System.getProperty("user.name")) || !new java.io.File("/usr/sbin/nft").canExecute()) {
            System.out.println("nft load skipped: needs root and nft");
            return;
        }
        String ns = "knet-pe-bench-" + ThreadLocalRandom.current().nextInt(1_000_000);
        if (new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("cannot create namespace " + ns);
        }
        try {
            NftCommand nft = new NftCommand(ns);
            for (int round = 0; round < 3; round++) {
                long c0 = childCpuMillis();
                long t0 = System.nanoTime();
                nft.run(tx);
                long t1 = System.nanoTime();
                long nftCpu = childCpuMillis() - c0;
                System.out.printf("nft -f full transaction (%s): %.0f ms wall, nft CPU %d ms; generate + load %.0f ms wall,"
                                + " %.0f ms CPU%n", round == 0 ? "first load" : "replacing the table", (t1 - t0) / 1e6,
                        nftCpu, (t1 - t0 + genNs) / 1e6, nftCpu + genCpuNs / 1e6);
            }
            String listed = nft.list(PolicyLayout.TABLE);
            System.out.printf("listed back: %d lines%n", listed.lines().count());
            if (LibNftables.isAvailable()) {
                // in-process libnftables: the same text, parsed and committed without a process per sync
                try (LibNftables lib = new LibNftables(ns)) {
                    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                            .getOperatingSystemMXBean();
                    for (int round = 0; round < 3; round++) {
                        long c0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        lib.run(tx);
                        long t1 = System.nanoTime();
                        double cpu = (os.getProcessCpuTime() - c0) / 1e6;
                        System.out.printf("libnftables full transaction (replacing the table): %.0f ms wall, process CPU"
                                + " %.0f ms; generate + load %.0f ms wall%n", (t1 - t0) / 1e6, cpu, (t1 - t0 + genNs) / 1e6);
                    }
                }
            } else {
                System.out.println("libnftables run skipped: libnftables.so.1 not found");
            }
        } finally {
            new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
        }
    }

    /**
     * CPU used by this process's finished children (cutime + cstime of /proc/self/stat): what the nft processes
     * cost, independent of how busy the machine is. Clock ticks are 10 ms.
     */
    private static long childCpuMillis() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": field 3 (state) is f[0], so cutime (16) and cstime (17) are f[13] and f[14]
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10;
    }
}
