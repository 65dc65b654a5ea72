package dev.knet.store.journal;

import dev.knet.model.ResourceKinds;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kills a writer process with SIGKILL at random points, again and again over one state directory,
 * and checks that every acknowledged write survived and nothing appeared that was never attempted.
 */
class CrashDurabilityTest {

    private static final int CYCLES = 30;
    /** Small, so snapshots and segment switches happen (and get killed) during the run. */
    private static final String SNAPSHOT_EVERY = "25";

    @TempDir
    Path work;

    /** What one child printed on stdout so far; only complete lines count (a kill can cut the last one). */
    private record ChildOutput(List<String> acks, int ready) {

        static ChildOutput read(Path file) {
            List<String> acks = new ArrayList<>();
            int ready = -1;
            String text;
            try {
                text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            int end = text.lastIndexOf('\n');
            for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
                if (line.startsWith("ack ")) {
                    acks.add(line.substring(4));
                } else if (line.startsWith("ready ")) {
                    ready = Integer.parseInt(line.substring(6));
                }
            }
            return new ChildOutput(acks, ready);
        }
    }

    private record Cycle(String prefix, List<String> acks) {
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path state = work.resolve("state");
        Path stderr = work.resolve("children.err");
        ChildJvm jvm = ChildJvm.prepare(work, CrashWriter.class, work.resolve("training").toString(), "train",
                SNAPSHOT_EVERY, "60");
        long started = System.nanoTime();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed + ", AOT cache " + jvm.usesAotCache() + ", child stderr in " + stderr;

        List<Cycle> cycles = new ArrayList<>();
        int acked = 0;
        for (int c = 0; c < CYCLES; c++) {
            String prefix = "c" + c;
            Path stdout = work.resolve(prefix + ".out");
            Process child = jvm.start(CrashWriter.class, stderr, stdout, state.toString(), prefix, SNAPSHOT_EVERY);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> ChildOutput.read(stdout).ready() >= 0 || !child.isAlive());
                assertThat(ChildOutput.read(stdout).ready()).as("cycle %d recovered count (%s)", c, context)
                        .isBetween(acked, acked + c);
                if (c == 0) {
                    assertThatThrownBy(() -> FileJournal.open(state)).isInstanceOfSatisfying(StateLockedException.class,
                            e -> assertThat(e.pid()).hasValue(child.pid()));
                }
                int killAfter = random.nextInt(40);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                        .until(() -> ChildOutput.read(stdout).acks().size() >= killAfter || !child.isAlive());
                assertThat(child.isAlive()).as("child still writing in cycle %d (%s)", c, context).isTrue();
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no flush
                child.waitFor(30, TimeUnit.SECONDS);
            }
            List<String> acks = ChildOutput.read(stdout).acks();
            cycles.add(new Cycle(prefix, acks));
            acked += acks.size();
        }

        Set<String> present = new HashSet<>();
        try (DefaultApiStore store = DefaultApiStore.builder().journal(FileJournal.open(state)).build()) {
            store.list(ResourceKinds.CONFIG_MAP, ListOptions.all()).items()
                    .forEach(cm -> present.add(cm.getMetadata().getName()));
        }
        Set<String> attempted = new HashSet<>();
        for (Cycle cycle : cycles) {
            assertThat(present).as("acknowledged writes of %s (%s)", cycle.prefix(), context)
                    .containsAll(cycle.acks());
            attempted.addAll(cycle.acks());
            attempted.add(cycle.prefix() + "-" + cycle.acks().size()); // the one possibly in flight
        }
        assertThat(attempted).as("nothing that was never attempted (%s)", context).containsAll(present);
        assertThat(acked).as("the children wrote at all").isGreaterThan(CYCLES);
        assertThat(Files.readString(stderr)).as("child errors").doesNotContain("Exception");
        System.out.printf("crash test: %d SIGKILL cycles, %d acknowledged writes, %d present, %s, %d ms%n",
                CYCLES, acked, present.size(), context, (System.nanoTime() - started) / 1_000_000);
    }
}
