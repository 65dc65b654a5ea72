package dev.knet.store.journal;

import dev.knet.model.ResourceKinds;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.TestObjects;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process the crash test kills: opens a FileJournal-backed store and creates config maps
 * {@code <prefix>-0, <prefix>-1, ...} one by one, printing "ack NAME" only after each create has
 * returned (and so is durable). Prints "ready N" first, N being the config maps it recovered.
 *
 * <p>Arguments: state directory, name prefix, snapshot threshold in entries, and optionally a
 * count after which it exits normally (default: write until killed).
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        long snapshotEntries = Long.parseLong(args[2]);
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
        PrintStream out = System.out;
        try (DefaultApiStore store = DefaultApiStore.builder()
                .journal(FileJournal.open(dir, new FileJournal.Options(8L << 20, snapshotEntries))).build()) {
            out.println("ready " + store.list(ResourceKinds.CONFIG_MAP, ListOptions.all()).items().size());
            out.flush();
            for (int i = 0; i < limit; i++) {
                String name = prefix + "-" + i;
                // Values of varying size, so records straddle page boundaries differently.
                store.create(TestObjects.configMap("default", name, "x".repeat((i * 7919) % 3000)));
                out.println("ack " + name);
                out.flush();
            }
        }
    }
}
