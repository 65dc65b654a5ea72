package dev.knet.e2e.bench;

import dev.knet.e2e.ServiceLab;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (e): how evenly a ClusterIP spreads real connections over its endpoints. A two-node lab, five
 * netexec pods behind one Service, and COUNT connections (default 10,000) from a client pod, each a new TCP
 * connection asking /hostname. Prints each endpoint's count and share, the largest deviation from uniform
 * in percentage points and relative to the uniform count, and a chi-square statistic (4 degrees of freedom:
 * 9.49 is the 95% bound for a fair spread). Run as root:
 * {@code java -cp ... dev.knet.e2e.bench.ServiceSpreadBench [count]}.
 */
public final class ServiceSpreadBench {

    private static final int ENDPOINTS = 5;

    private ServiceSpreadBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        try (ServiceLab lab = ServiceLab.start()) {
            StringBuilder yaml = new StringBuilder("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: spread, namespace: default}
                    spec:
                      selector: {app: spread}
                      ports: [{name: http, port: 80, targetPort: 8080}]
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: client, namespace: default, labels: {app: client}}
                    spec:
                      nodeName: node-1
                      containers: [{name: agnhost, image: registry.k8s.io/e2e-test-images/agnhost:2.47, args: [pause]}]
                    """);
            for (int i = 0; i < ENDPOINTS; i++) {
                yaml.append("""
                        ---
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: spread-%d, namespace: default, labels: {app: spread}}
                        spec:
                          nodeName: node-%d
                          containers: [{name: agnhost, image: registry.k8s.io/e2e-test-images/agnhost:2.47, args: [netexec, --http-port=8080]}]
                        """.formatted(i, 1 + i % 2));
            }
            lab.apply(yaml.toString());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            String url = null;
            while (System.nanoTime() < deadline) {
                boolean up = lab.running("client");
                for (int i = 0; i < ENDPOINTS && up; i++) {
                    up = lab.running("spread-" + i);
                }
                if (up) {
                    url = "http://" + lab.clusterIp("spread") + ":80/hostname";
                    if (lab.spread(lab.podNetns("client"), url, 50, 2).keySet().stream().filter(k -> k.startsWith("spread-")).count() == ENDPOINTS) {
                        break;
                    }
                }
                Thread.sleep(500); // a bench polls the lab; tests use Awaitility
            }
            if (url == null) {
                throw new IllegalStateException("the spread pods did not start");
            }
            long t0 = System.nanoTime();
            Map<String, Integer> seen = new TreeMap<>(lab.spread(lab.podNetns("client"), url, count, 2));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            double uniform = (double) count / ENDPOINTS;
            double worstPoints = 0;
            double worstRelative = 0;
            double chi = 0;
            for (var e : seen.entrySet()) {
                double share = 100.0 * e.getValue() / count;
                System.out.printf("%s: %d connections (%.2f%%)%n", e.getKey(), e.getValue(), share);
                if (e.getKey().startsWith("spread-")) {
                    worstPoints = Math.max(worstPoints, Math.abs(share - 100.0 / ENDPOINTS));
                    worstRelative = Math.max(worstRelative, Math.abs(e.getValue() - uniform) / uniform * 100);
                    chi += Math.pow(e.getValue() - uniform, 2) / uniform;
                }
            }
            System.out.printf("%d connections in %d ms; largest deviation from uniform: %.2f percentage points (%.2f%% of the uniform"
                    + " count %.0f); chi-square %.2f (4 dof, 95%% bound 9.49)%n", count, took.toMillis(), worstPoints, worstRelative,
                    uniform, chi);
        }
    }
}
