package dev.knet.policy.bench;

import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.PolicyIndex;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Protocol;
import dev.knet.policy.matrix.PolicyMatrix;
import dev.knet.policy.matrix.SyntheticCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Full matrix of 10,000 pods in 100 namespaces under 2,000 NetworkPolicies, then one-policy
 * re-evaluation. Prints wall times and peak heap. Run with -Xmx2g; not a unit test.
 */
public final class PolicyMatrixBench {

    static final int NAMESPACES = 100;

    public static void main(String[] args) {
        List<HasMetadata> objects = SyntheticCluster.cluster(NAMESPACES);
        List<Integer> ports = List.of(80, 8080);
        List<Protocol> protocols = List.of(Protocol.TCP, Protocol.UDP);
        ClusterSnapshot snapshot = ClusterSnapshot.of(objects);
        System.out.printf("pods=%d namespaces=%d policies=%d ports=%s protocols=%s%n", snapshot.pods().size(),
                snapshot.namespaceLabels().size(), snapshot.networkPolicies().size(), ports, protocols);
        for (int round = 0; round < 3; round++) {
            System.gc();
            resetPeaks();
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            PolicyIndex index = PolicyIndex.of(snapshot);
            long t1 = System.nanoTime();
            PolicyMatrix matrix = PolicyMatrix.compute(index, ports, protocols);
            long t2 = System.nanoTime();
            System.out.printf("round %d: thread CPU %.0f ms%n", round, ms(cpu() - cpu0));
            System.out.printf("round %d: index %.0f ms + matrix %.0f ms = %.0f ms; classes=%d atoms=%d; peak heap %.0f MiB; "
                            + "allowed TCP/80 pairs=%d of %d%n", round, ms(t1 - t0), ms(t2 - t1), ms(t2 - t0),
                    matrix.classCount(), index.atoms().liveAtoms(), peakHeapMiB(),
                    matrix.allowedPairs(80, Protocol.TCP), (long) snapshot.pods().size() * (snapshot.pods().size() - 1));
            if (round == 2) {
                incremental(matrix);
            }
        }
    }

    private static void incremental(PolicyMatrix matrix) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int ns = (i * 7) % NAMESPACES;
            NetworkPolicy changed = SyntheticCluster.allowFrom("ns-" + ns, "changed", "app-" + (i % 10), "app-" + ((i + 3) % 10), 80 + i);
            long t0 = cpu();
            matrix.putPolicy(changed);
            times.add(ms(cpu() - t0));
            long t2 = cpu();
            matrix.removePolicy(PolicyRef.networkPolicy("ns-" + ns, "changed"));
            times.add(ms(cpu() - t2));
        }
        List<Double> sorted = times.stream().sorted().toList();
        System.out.printf("one-policy change (put or remove, %d samples, thread CPU): median %.1f ms, max %.1f ms%n",
                sorted.size(), sorted.get(sorted.size() / 2), sorted.getLast());
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static double peakHeapMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024.0 * 1024.0);
    }

    /** CPU time of this thread: the machine is shared, so wall time overstates the work. */
    private static long cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
