package dev.knet.bench.control;

import dev.knet.control.ControlPlane;
import dev.knet.control.config.ClusterConfig;
import dev.knet.control.runtime.PodState;
import dev.knet.store.AdmissionPlugin;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies DEPLOYMENTS Deployments of REPLICAS pods each and one selecting Service per Deployment to
 * an in-memory store, and measures the time until the control plane has converged: every pod
 * Running with an address, every Service with a clusterIP and an EndpointSlice holding all its
 * pods. Prints the time and the peak heap. Run with -Xmx1g -XX:ActiveProcessorCount=2.
 *
 * <p>Arguments: [deployments=2000] [replicas=5] [nodes=50] [kubelet=simulated|agents] [journal=file|memory]
 * The store is built as `knet` builds it: the file journal (an fsync per transaction) in a temporary
 * directory, defaulting, the allocators and validation.
 */
public final class ControlPlaneBench {

    public static void main(String[] args) {
        // A short warm-up round first: the daemon is long-running, its JIT is warm when users apply.
        run(Math.max(1, (args.length > 0 ? Integer.parseInt(args[0]) : 2_000) / 10), args, false);
        run(args.length > 0 ? Integer.parseInt(args[0]) : 2_000, args, true);
    }

    private static void run(int deployments, String[] args, boolean report) {
        int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        boolean simulated = args.length <= 3 || !args[3].equals("agents");
        ClusterConfig config = ClusterConfig.withNodes("bench", nodes);
        boolean fileJournal = args.length <= 4 || !args[4].equals("memory");
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("knet-bench-store");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        DefaultApiStore.Builder b = DefaultApiStore.builder()
                .admission(new dev.knet.store.validation.DefaultingPlugin());
        if (fileJournal) {
            b.journal(dev.knet.store.journal.FileJournal.open(dir));
        }
        for (AdmissionPlugin p : ControlPlane.admissionPlugins(config)) {
            b.admission(p);
        }
        b.admission(new dev.knet.store.validation.ValidationPlugin());
        try (DefaultApiStore store = b.build();
             ControlPlane cp = ControlPlane.start(store, config,
                     simulated ? ControlPlane.Options.simulated() : ControlPlane.Options.withNodeAgents())) {
            if (!cp.awaitIdle(Duration.ofSeconds(30))) {
                throw new IllegalStateException("nodes not ready");
            }
            List<Mutation> objects = new ArrayList<>();
            for (int i = 0; i < deployments; i++) {
                objects.add(new Mutation.Create(service("app-" + i)));
                objects.add(new Mutation.Create(deployment("app-" + i, replicas)));
            }
            Map<String, Integer> writes = new java.util.concurrent.ConcurrentHashMap<>();
            List<dev.knet.store.Watch> counters = new ArrayList<>();
            for (var kind : dev.knet.model.ResourceKinds.ALL) {
                counters.add(store.watch(kind, dev.knet.store.ListOptions.all(), store.resourceVersion(),
                        e -> writes.merge(kind.kind() + " " + e.type(), 1, Integer::sum)));
            }
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            // Applied the way `knet apply` of a large manifest would: transactions of 500 objects.
            for (int i = 0; i < objects.size(); i += 500) {
                store.commit(objects.subList(i, Math.min(objects.size(), i + 500)));
            }
            long applied = System.nanoTime();
            boolean idle = cp.awaitIdle(Duration.ofMinutes(5));
            long converged = System.nanoTime();
            long cpu = processCpuNanos() - cpuStart;
            String verdict = check(cp, deployments, replicas, simulated);
            counters.forEach(dev.knet.store.Watch::close);
            if (!report) {
                System.out.printf("warm-up with %d deployments: %d ms%n", deployments, (converged - start) / 1_000_000);
                return;
            }
            System.out.println("writes: " + new java.util.TreeMap<>(writes));
            System.out.printf("pods=%d services=%d nodes=%d kubelet=%s%n", deployments * replicas, deployments, nodes,
                    simulated ? "simulated" : "agents");
            System.out.printf("apply: %d ms, converged after %d ms total (idle=%s), check: %s%n",
                    (applied - start) / 1_000_000, (converged - start) / 1_000_000, idle, verdict);
            System.out.printf("process CPU time: %d ms (wall time on an otherwise idle 2-core machine is at least half of it)%n",
                    cpu / 1_000_000);
            System.out.printf("peak heap used: %d MiB (max %d MiB), store resourceVersion %d%n", peakHeapMiB(),
                    Runtime.getRuntime().maxMemory() >> 20, store.resourceVersion());
        }
    }

    private static String check(ControlPlane cp, int deployments, int replicas, boolean simulated) {
        int pods = 0;
        int withIp = 0;
        int running = 0;
        for (Pod p : cp.caches().pods().all()) {
            pods++;
            withIp += PodState.podIp(p) != null ? 1 : 0;
            running += PodState.isReady(p) ? 1 : 0;
        }
        int withClusterIp = 0;
        for (Service s : cp.caches().services().all()) {
            withClusterIp += s.getSpec().getClusterIP() != null ? 1 : 0;
        }
        Map<String, Integer> endpoints = new HashMap<>();
        for (EndpointSlice s : cp.caches().slices().all()) {
            endpoints.merge(s.getMetadata().getLabels().get("kubernetes.io/service-name"), s.getEndpoints().size(),
                    Integer::sum);
        }
        long complete = endpoints.values().stream().filter(n -> n == replicas).count();
        boolean ok = pods == deployments * replicas && withIp == pods && withClusterIp == deployments
                && complete == deployments && (!simulated || running == pods);
        return (ok ? "OK" : "INCOMPLETE") + " (pods " + pods + ", with IP " + withIp + ", ready " + running
                + ", services with clusterIP " + withClusterIp + ", services with all endpoints " + complete + ")";
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().addToSelector("app", name).addNewPort().withName("http").withPort(80)
                .withTargetPort(new IntOrString("http")).endPort().endSpec().build();
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("agnhost:2.52")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
