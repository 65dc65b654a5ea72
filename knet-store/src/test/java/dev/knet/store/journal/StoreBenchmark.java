package dev.knet.store.journal;

import dev.knet.model.ResourceKinds;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.TestObjects;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Not a test: prints how long FileJournal-backed store operations take on the local disk.
 * Run with the test class path: {@code java -cp ... dev.knet.store.journal.StoreBenchmark [dir]}.
 */
public final class StoreBenchmark {

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("knet-store-bench");
        IntFunction<Pod> pod = i -> {
            Pod p = TestObjects.pod("default", "pod-" + i, Map.of("app", "app-" + (i % 2000)));
            p.getSpec().setNodeName("node-" + (i % 50));
            return p;
        };
        warmUp(base.resolve("warmup"), pod);

        try (DefaultApiStore store = open(base.resolve("batch"))) {
            List<Mutation> creates = IntStream.range(0, 10_000).mapToObj(i -> (Mutation) new Mutation.Create(pod.apply(i)))
                    .toList();
            long t = start();
            store.commit(creates);
            report("one commit of 10,000 pod creates", t, 1);
            t = start();
            int n = store.list(ResourceKinds.POD, ListOptions.all()).items().size();
            report("list of " + n + " pods (copies)", t, 1);
        }
        long t = start();
        try (DefaultApiStore store = open(base.resolve("batch"))) {
            report("reopen (recovery) with 10,000 pods in the log", t, 1);
        }

        try (DefaultApiStore store = open(base.resolve("single"))) {
            t = start();
            for (int i = 0; i < 10_000; i++) {
                store.create(pod.apply(i));
            }
            report("10,000 single-create commits", t, 10_000);
            t = start();
            for (int i = 0; i < 10_000; i++) {
                Pod p = store.get(ResourceKinds.POD, "default", "pod-" + i).orElseThrow();
                p.getMetadata().getLabels().put("touched", "yes");
                store.update(p);
            }
            report("10,000 single-update commits (get + update)", t, 10_000);
        }

        try (DefaultApiStore store = open(base.resolve("apply"))) {
            t = start();
            List<Mutation> batch = new ArrayList<>();
            Stream.concat(IntStream.range(0, 2_000).mapToObj(i -> TestObjects.service("default", "app-" + i, 80)),
                    IntStream.range(0, 10_000).mapToObj(pod::apply)).forEach(o -> {
                        batch.add(new Mutation.Apply(o));
                        if (batch.size() == 500) {
                            store.commit(List.copyOf(batch));
                            batch.clear();
                        }
                    });
            store.commit(batch);
            report("apply 2,000 services + 10,000 pods in commits of 500", t, 1);
        }
    }

    private static void warmUp(Path dir, IntFunction<Pod> pod) {
        try (DefaultApiStore store = open(dir)) {
            for (int i = 0; i < 3_000; i++) {
                store.create(pod.apply(i));
            }
        }
    }

    private static DefaultApiStore open(Path dir) {
        return DefaultApiStore.builder().journal(FileJournal.open(dir)).build();
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static long cpuAtStart;

    private static long start() {
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
        return System.nanoTime();
    }

    /** Wall time, and this thread's CPU time (which a loaded machine inflates far less). */
    private static void report(String what, long startNanos, int ops) {
        double ms = (System.nanoTime() - startNanos) / 1e6;
        long cpuNow = THREADS.getCurrentThreadCpuTime();
        double cpu = (cpuNow - cpuAtStart) / 1e6;
        cpuAtStart = cpuNow;
        System.out.printf("%-55s wall %9.1f ms  cpu %8.1f ms%s%n", what, ms, cpu,
                ops > 1 ? "  (wall %.3f / cpu %.3f ms per op)".formatted(ms / ops, cpu / ops) : "");
    }
}
