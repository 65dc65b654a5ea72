package dev.knet.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a recorded daemon pid is still the lab daemon. Shared by the full CLI and the light client, so
 * both agree on "a lab is running"; java.base only, because the light client must not load more.
 */
public final class DaemonLiveness {

    /**
     * The daemon's main class as its command line spells it. A string rather than DaemonMain.class: naming
     * the class would load it, and its imports, in the light client.
     */
    public static final String DAEMON_MAIN = "dev.knet.cli.lab.DaemonMain";

    private DaemonLiveness() {
    }

    /** Alive and still the daemon: a recycled pid of an unrelated process does not count. */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && runsDaemonMain(pid);
    }

    /**
     * The light client's check: true only when /proc shows the pid running the daemon. No ProcessHandle (it
     * starts a thread pool) and no benefit of the doubt where /proc cannot be read: the light client answers
     * only when sure, and leaves every other case to the full CLI.
     */
    public static boolean provenAlive(long pid) {
        return cmdlineNamesDaemon(pid, false);
    }

    /**
     * Reads /proc/PID/cmdline itself: ProcessHandle.Info cuts the command line at 4096 bytes, and
     * the daemon's classpath alone is longer. Where /proc cannot be read, a live pid has to do.
     */
    private static boolean runsDaemonMain(long pid) {
        return cmdlineNamesDaemon(pid, true);
    }

    /** Whether /proc/PID/cmdline names the daemon's main class; {@code unreadable} when it cannot be read. */
    private static boolean cmdlineNamesDaemon(long pid, boolean unreadable) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).contains(DAEMON_MAIN);
        } catch (IOException | RuntimeException e) {
            return unreadable;
        }
    }
}
