package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-key serialization of the agent's work queue. */
class KeyedWorkQueueTest {

    @Test
    void aKeyAddedTwiceBeforeATakeIsHandedOutOnce() throws Exception {
        KeyedWorkQueue queue = new KeyedWorkQueue();
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.take()).contains("a");
        assertThat(queue.take()).contains("b");
        queue.done("a");
        queue.done("b");
        queue.shutDown();
        assertThat(queue.take()).isEmpty();
    }

    @Test
    void aKeyAddedWhileInProcessWaitsForDoneAndIsNotLost() throws Exception {
        KeyedWorkQueue queue = new KeyedWorkQueue();
        queue.add("a");
        assertThat(queue.take()).contains("a");

        queue.add("a"); // an event for the pod a worker is reconciling
        queue.add("b");
        assertThat(queue.take()).as("a is held: the next worker gets b").contains("b");
        queue.done("b");
        queue.done("a");

        assertThat(queue.take()).as("the deferred event runs once a is released").contains("a");
    }

    @Test
    void shutDownWakesAWaitingWorkerWithNoKey() throws Exception {
        KeyedWorkQueue queue = new KeyedWorkQueue();
        List<Optional<String>> got = new ArrayList<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                got.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queue.shutDown();
        worker.join(Duration.ofSeconds(10));

        assertThat(worker.isAlive()).isFalse();
        assertThat(got).containsExactly(Optional.empty());
    }

    @Test
    void manyWorkersNeverHoldOneKeyAtOnceAndSeeEveryKeysLastEvent() throws Exception {
        KeyedWorkQueue queue = new KeyedWorkQueue();
        Map<String, AtomicInteger> holders = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> seenVersion = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> version = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (Optional<String> k = queue.take(); k.isPresent(); k = queue.take()) {
                        String key = k.get();
                        if (holders.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        // what a reconcile reads: the newest event so far
                        seenVersion.computeIfAbsent(key, x -> new AtomicInteger())
                                .set(version.get(key).get());
                        Thread.yield(); // widen the window in which a second holder would show
                        holders.get(key).decrementAndGet();
                        queue.done(key);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 5_000; i++) {
                    String key = "pod-" + (i % 10);
                    version.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
                    queue.add(key);
                }
            }));
        }
        for (Thread t : producers) {
            t.join();
        }
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> version.forEach((key, v) ->
                    assertThat(seenVersion.get(key)).as(key).hasValue(v.get())));
        } finally {
            queue.shutDown();
            for (Thread t : workers) {
                t.join(Duration.ofSeconds(10));
            }
        }

        assertThat(overlaps).as("reconciles of one key that overlapped").hasValue(0);
    }
}
