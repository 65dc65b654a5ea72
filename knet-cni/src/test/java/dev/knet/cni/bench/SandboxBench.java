package dev.knet.cni.bench;

import dev.knet.cni.lab.Lab;
import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.dataplane.CommandResult;
import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.NetnsScope;
import dev.knet.dataplane.ProcessCommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One pod sandbox as the node agent makes it (namespace, CNI ADD; then CNI DEL, namespace delete),
 * over the all-iproute2 dataplane and over the agent's in-process one, interleaved pod by pod so
 * both see the same machine load. Prints wall p50/p99 of each half, the CPU this JVM and its child
 * processes spent per pod (what saturates a small machine when hundreds of pods start), and the
 * processes spawned per pod. vxlan mode, as the 300-pod benchmark runs. Run as root from knet-cni:
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) dev.knet.cni.bench.SandboxBench [n]</pre>
 */
public final class SandboxBench {

    private record Variant(String name, Dataplane dp, KnetCniPlugin plugin, String node, String conf,
                           AtomicInteger spawns, double[] netns, double[] add, double[] del, long[] cpuTicks) {
    }

    public static void main(String[] args) throws Exception {
        Lab.assumeLab();
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String prefix = "knet-sb" + UUID.randomUUID().toString().substring(0, 4);
        Path tmp = Files.createTempDirectory("knet-sandbox-bench");
        List<Variant> variants = new ArrayList<>();
        try {
            variants.add(variant("iproute2", Dataplane::real, prefix + "-ip", "10.244.0.0/16", tmp, n));
            variants.add(variant("in-process", Dataplane::inProcess, prefix + "-np", "10.245.0.0/16", tmp, n));
            int warmup = Math.max(2, n / 10);
            for (int i = -warmup; i < n; i++) {
                for (int k = 0; k < variants.size(); k++) {
                    // alternate which goes first, so neither always runs right after the other's DEL
                    Variant v = variants.get(Math.floorMod(i, 2) == 0 ? k : variants.size() - 1 - k);
                    run(v, prefix + "-" + v.name().charAt(1) + Math.floorMod(i, 100000), i);
                }
            }
        } finally {
            for (Variant v : variants) {
                v.dp().netns().list().stream().filter(ns -> ns.startsWith(prefix)).forEach(v.dp().netns()::delete);
            }
        }
        System.out.printf("%n%-12s %5s %10s %9s %9s %9s %9s %12s %10s%n", "dataplane", "n", "netns p50", "ADD p50",
                "ADD p99", "DEL p50", "DEL p99", "CPU ms/pod", "proc/pod");
        for (Variant v : variants) {
            System.out.printf("%-12s %5d %8.2fms %7.2fms %7.2fms %7.2fms %7.2fms %12.1f %10.1f%n", v.name(), n,
                    CniBench.pct(v.netns(), 50), CniBench.pct(v.add(), 50), CniBench.pct(v.add(), 99),
                    CniBench.pct(v.del(), 50), CniBench.pct(v.del(), 99),
                    v.cpuTicks()[0] * 1000.0 / 100 / n,
                    (double) v.spawns().get() / (n + Math.max(2, n / 10)));
        }
        System.out.println("(netns = namespace create; ADD = CNI ADD; DEL = CNI DEL + namespace delete; CPU from /proc/self/stat,"
                + " children included, 10 ms ticks)");
    }

    private static Variant variant(String name, Function<CommandRunner, Dataplane> factory, String node, String subnet,
                                   Path tmp, int n) {
        AtomicInteger spawns = new AtomicInteger();
        ProcessCommandRunner real = new ProcessCommandRunner();
        CommandRunner counting = (scope, argv, stdin) -> {
            spawns.incrementAndGet();
            return real.tryRun(scope, argv, stdin);
        };
        Dataplane dp = factory.apply(counting);
        dp.netns().create(node);
        String conf = """
                {"cniVersion":"1.1.0","name":"knet","type":"knet","mode":"vxlan","nodeNetns":"%s","mtu":1450,
                 "ipam":{"type":"host-local","subnet":"%s","dataDir":"%s"}}""".formatted(node, subnet,
                tmp.resolve(name));
        return new Variant(name, dp, new KnetCniPlugin(dp), node, conf, spawns, new double[n], new double[n], new double[n],
                new long[1]);
    }

    private static void run(Variant v, String pod, int i) throws IOException {
        long cpu0 = cpuTicks();
        long t0 = System.nanoTime();
        v.dp().netns().create(pod);
        long tNetns = System.nanoTime();
        CniBench.expectOk(v.plugin().handle(CniBench.request("ADD", pod, pod, v.conf())));
        long t1 = System.nanoTime();
        CniBench.expectOk(v.plugin().handle(CniBench.request("DEL", pod, pod, v.conf())));
        v.dp().netns().delete(pod);
        long t2 = System.nanoTime();
        long cpu = cpuTicks() - cpu0;
        if (i >= 0) {
            v.netns()[i] = (tNetns - t0) / 1e6;
            v.add()[i] = (t1 - tNetns) / 1e6;
            v.del()[i] = (t2 - t1) / 1e6;
            v.cpuTicks()[0] += cpu;
        }
    }

    /** utime + stime + cutime + cstime of this process, in clock ticks. */
    private static long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
