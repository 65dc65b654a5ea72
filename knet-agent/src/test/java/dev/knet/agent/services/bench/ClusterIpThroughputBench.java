package dev.knet.agent.services.bench;

import dev.knet.dataplane.netns.NetnsThread;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (d): TCP throughput and new connections per second through a ClusterIP vs straight to the pod IP,
 * in one {@link ProxyLab} with SERVICES Services programmed (default 10). Throughput: iperf3 in the pod
 * namespaces, ROUNDS streams of SECONDS each way (default 3 x 5 s), interleaved VIP / pod IP with the order
 * alternating. Connection rate: a loop in the client pod that connects and resets as fast as it can against an
 * accept-and-close server, in 1 s slices interleaved the same way (default 5 slices each). Prints every
 * measurement, the medians, and the ratios ClusterIP / pod IP (goal >= 0.95). Bounded: about
 * 2 x ROUNDS x (SECONDS + 1) + 2 x (SLICES + 1) seconds after the lab is up.
 * Run as root: {@code java -cp ... dev.knet.agent.services.bench.ClusterIpThroughputBench [rounds] [seconds] [slices] [services]}.
 */
public final class ClusterIpThroughputBench {

    private static final int IPERF_PORT = 5201;
    private static final int CONN_PORT = 80;
    private static final int CONN_TARGET = 8080;
    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private ClusterIpThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int slices = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int services = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        System.out.printf("iperf3 rounds=%d x %d s, connection-rate slices=%d x 1 s, services=%d%n", rounds, seconds, slices, services);
        try (ProxyLab lab = ProxyLab.start()) {
            lab.acceptAndClose(CONN_TARGET);
            lab.spawn(lab.server, "iperf3", "-s", "-p", String.valueOf(IPERF_PORT));
            lab.program(services, 5, new ProxyLab.PortMap(CONN_PORT, CONN_TARGET), new ProxyLab.PortMap(IPERF_PORT, IPERF_PORT));
            String vip = ProxyLab.vip(0);
            awaitIperfServer(lab);

            List<Double> viaVip = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean vipFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isVip = (k == 0) == vipFirst;
                    double gbps = iperf(lab, isVip ? vip : ProxyLab.SERVER_IP, seconds) / 1e9;
                    (isVip ? viaVip : direct).add(gbps);
                    System.out.printf("throughput round %d %-9s %.2f Gbit/s%n", r, isVip ? "ClusterIP" : "pod IP", gbps);
                }
            }
            // Warm-up, not reported: the JIT compiles the connect loop, the neighbour and conntrack caches fill.
            connectionRate(lab, vip, CONN_PORT, 1000);
            connectionRate(lab, ProxyLab.SERVER_IP, CONN_TARGET, 1000);
            List<Double> rateVip = new ArrayList<>();
            List<Double> rateDirect = new ArrayList<>();
            for (int r = 0; r < slices; r++) {
                boolean vipFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isVip = (k == 0) == vipFirst;
                    double rate = connectionRate(lab, isVip ? vip : ProxyLab.SERVER_IP, isVip ? CONN_PORT : CONN_TARGET, 1000);
                    (isVip ? rateVip : rateDirect).add(rate);
                    System.out.printf("connections slice %d %-9s %.0f /s%n", r, isVip ? "ClusterIP" : "pod IP", rate);
                }
            }
            double tv = median(viaVip);
            double td = median(direct);
            double cv = median(rateVip);
            double cd = median(rateDirect);
            System.out.printf("throughput median: ClusterIP %.2f Gbit/s, pod IP %.2f Gbit/s, ratio %.3f (goal >= 0.95);"
                    + " geometric mean of the paired rounds' ratios %.3f%n", tv, td, tv / td, pairedRatio(viaVip, direct));
            System.out.printf("new connections/s median: ClusterIP %.0f, pod IP %.0f, ratio %.3f (goal >= 0.95);"
                    + " geometric mean of the paired slices' ratios %.3f%n", cv, cd, cv / cd, pairedRatio(rateVip, rateDirect));
        }
    }

    /** The iperf3 server takes a moment to listen; a plain connect tells when it does (bounded to 10 s). */
    private static void awaitIperfServer(ProxyLab lab) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            boolean up = NetnsThread.run(lab.client, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ProxyLab.SERVER_IP, IPERF_PORT), 500);
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            if (up) {
                Thread.sleep(200); // let iperf3 drop the probe connection before the first test
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3 did not start listening in the server pod");
            }
            Thread.sleep(100); // a bench polls; tests use Awaitility
        }
    }

    /** One iperf3 stream from the client pod; returns the receiver's bits per second. */
    private static double iperf(ProxyLab lab, String host, int seconds) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.client, "iperf3", "-c", host, "-p", String.valueOf(IPERF_PORT),
                "-t", String.valueOf(seconds), "-J").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("iperf3 to " + host + " did not finish");
        }
        Matcher m = RECEIVED.matcher(out);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("iperf3 to " + host + " failed: " + out.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    /** Connects-and-resets per second from the client pod for {@code millis}. */
    private static double connectionRate(ProxyLab lab, String host, int port, long millis) throws Exception {
        return NetnsThread.run(lab.client, () -> {
            InetSocketAddress to = new InetSocketAddress(host, port);
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
            long n = 0;
            long now;
            while ((now = System.nanoTime()) < end) {
                try (Socket s = new Socket()) {
                    s.connect(to, 2000);
                    s.setSoLinger(true, 0);
                }
                n++;
            }
            return n / ((now - start) / 1e9);
        });
    }

    /**
     * Round i of each side ran back to back, so their ratio cancels most of the load swing between rounds on a
     * shared machine; the geometric mean is the fair average of ratios.
     */
    private static double pairedRatio(List<Double> vip, List<Double> direct) {
        double logSum = 0;
        for (int i = 0; i < vip.size(); i++) {
            logSum += Math.log(vip.get(i) / direct.get(i));
        }
        return Math.exp(logSum / vip.size());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
