package dev.knet.agent.services.bench;

import dev.knet.dataplane.netns.NetnsThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (c): TCP connect latency through a ClusterIP with few vs many Services programmed. Two
 * {@link ProxyLab}s side by side, one with SMALL Services (default 10), one with BIG (default 30,000, each
 * synthetic one with 5 endpoints), each with the same benchmarked Service in front of an accept-and-close
 * server pod. Connects (connect(2) time only, from a socket in the client pod) run in interleaved rounds over
 * both labs, so load on a shared machine hits both alike; the order inside a round alternates. The pod IP
 * straight (no DNAT) is measured the same way as a floor. Prints p50/p99 of each and the ratio big / small.
 * Bounded: COUNT connects per series (default 2,000), and at most 3 minutes of measuring.
 * Run as root: {@code java -cp ... dev.knet.agent.services.bench.ClusterIpConnectBench [count] [small] [big]}.
 */
public final class ClusterIpConnectBench {

    private static final int ROUND = 100;
    private static final int PORT = 80;
    private static final int TARGET = 8080;

    private ClusterIpConnectBench() {
    }

    private record Series(String label, ProxyLab lab, String host, int port, List<Long> nanos, List<String> failures) {
        Series(String label, ProxyLab lab, String host, int port) {
            this(label, lab, host, port, new ArrayList<>(), new ArrayList<>());
        }
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int big = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
        System.out.printf("connects per series=%d, services: small=%d big=%d (synthetic ones with 5 endpoints)%n", count, small, big);
        try (ProxyLab few = ProxyLab.start(); ProxyLab many = ProxyLab.start()) {
            few.acceptAndClose(TARGET);
            many.acceptAndClose(TARGET);
            long t0 = System.nanoTime();
            few.program(small, 5, new ProxyLab.PortMap(PORT, TARGET));
            System.out.printf("small lab: %d services synced in %d ms (%s)%n", small, (System.nanoTime() - t0) / 1_000_000, few.status());
            t0 = System.nanoTime();
            many.program(big, 5, new ProxyLab.PortMap(PORT, TARGET));
            System.out.printf("big lab: %d services synced in %d ms (%s); synthetic backends in kernel: %d%n", big,
                    (System.nanoTime() - t0) / 1_000_000, many.status(), many.fakeBackendsInKernel());
            List<Series> series = List.of(
                    new Series("ClusterIP, " + small + " services", few, ProxyLab.vip(0), PORT),
                    new Series("ClusterIP, " + big + " services", many, ProxyLab.vip(0), PORT),
                    new Series("pod IP, " + small + " services", few, ProxyLab.SERVER_IP, TARGET),
                    new Series("pod IP, " + big + " services", many, ProxyLab.SERVER_IP, TARGET));
            for (Series s : series) {
                connects(s, 200); // warm-up: JIT, neighbour entries, first conntrack allocations
                s.nanos().clear();
                s.failures().clear();
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            int rounds = (count + ROUND - 1) / ROUND;
            for (int r = 0; r < rounds && System.nanoTime() < deadline; r++) {
                List<Series> order = r % 2 == 0 ? series : series.reversed();
                for (Series s : order) {
                    connects(s, ROUND);
                }
            }
            double[][] stats = new double[series.size()][];
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                stats[i] = percentiles(s.nanos());
                System.out.printf("%-28s connect p50 %.3f ms, p99 %.3f ms (%d connects, %d failed%s)%n", s.label(), stats[i][0],
                        stats[i][1], s.nanos().size(), s.failures().size(),
                        s.failures().isEmpty() ? "" : ": " + new java.util.TreeSet<>(s.failures()));
            }
            System.out.printf("ratio ClusterIP %d / %d services: p50 %.3f, p99 %.3f (goal <= 1.1)%n", big, small,
                    stats[1][0] / stats[0][0], stats[1][1] / stats[0][1]);
            System.out.printf("ratio ClusterIP / pod IP: p50 %.3f (%d services), %.3f (%d services)%n",
                    stats[0][0] / stats[2][0], small, stats[1][0] / stats[3][0], big);
        }
    }

    /** N connects from the client pod, each timed around connect(2) alone, then reset (no TIME_WAIT left). */
    private static void connects(Series s, int n) throws Exception {
        long[] out = NetnsThread.run(s.lab().client, () -> {
            long[] t = new long[n];
            InetSocketAddress to = new InetSocketAddress(s.host(), s.port());
            for (int i = 0; i < n; i++) {
                try (Socket socket = new Socket()) {
                    long a = System.nanoTime();
                    socket.connect(to, 2000);
                    t[i] = System.nanoTime() - a;
                    socket.setSoLinger(true, 0);
                } catch (IOException e) {
                    // Counted and shown, not timed: a failed connect says nothing about the path's latency.
                    t[i] = -1;
                    synchronized (s.failures()) {
                        s.failures().add(String.valueOf(e.getMessage()));
                    }
                }
            }
            return t;
        });
        for (long v : out) {
            if (v >= 0) {
                s.nanos().add(v);
            }
        }
    }

    private static double[] percentiles(List<Long> nanos) {
        long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new double[] {a[a.length / 2] / 1e6, a[Math.min(a.length - 1, a.length * 99 / 100)] / 1e6};
    }
}
