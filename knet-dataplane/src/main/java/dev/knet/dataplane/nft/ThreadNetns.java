package dev.knet.dataplane.nft;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Moves the calling platform thread into one named network namespace for the length of a call and back again
 * (setns(2) on a network namespace affects only the calling thread). The target namespace stays open as a file
 * descriptor, so each switch costs two setns calls and one open of the caller's own namespace, a few
 * microseconds, instead of a hand-off to a pinned thread (two wake-ups, milliseconds on a loaded machine).
 * A caller that cannot be moved safely is refused before anything runs: a virtual thread could change carrier
 * between the switch and the work, and the work would then run in whatever namespace that carrier is in.
 */
final class ThreadNetns implements AutoCloseable {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final MethodHandle OPEN;
    private static final MethodHandle SETNS;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        OPEN = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        SETNS = linker.downcallHandle(libc.find("setns").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** Work to run inside the namespace. */
    interface Work<T> {
        T run() throws NftException;
    }

    private final String namespace;
    private final int targetFd;

    ThreadNetns(String namespace) throws NftException {
        this.namespace = namespace;
        this.targetFd = open("/var/run/netns/" + namespace);
        if (targetFd < 0) {
            throw new NftException(NftException.Kind.NOT_FOUND, "no network namespace " + namespace, "");
        }
    }

    /** Runs {@code work} on the calling thread inside the namespace, then returns the thread where it was. */
    <T> T call(Work<T> work) throws NftException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("libnftables must be called from a platform thread, not a virtual one");
        }
        int home = open("/proc/thread-self/ns/net");
        if (home < 0) {
            throw new NftException(NftException.Kind.OTHER, "cannot open the calling thread's network namespace", "");
        }
        try {
            if (setns(targetFd) != 0) {
                throw new NftException(NftException.Kind.OTHER, "setns into " + namespace + " failed", "");
            }
            try {
                return work.run();
            } finally {
                if (setns(home) != 0) {
                    // The thread now sits in the lab namespace; nothing safe can continue on it.
                    throw new IllegalStateException("cannot return the thread from network namespace " + namespace);
                }
            }
        } finally {
            close(home);
        }
    }

    @Override
    public void close() {
        close(targetFd);
    }

    private static int open(String path) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(arena.allocateFrom(path), O_RDONLY_CLOEXEC);
        } catch (Throwable t) {
            throw new IllegalStateException("open(" + path + ") failed", t);
        }
    }

    private static int setns(int fd) {
        try {
            return (int) SETNS.invokeExact(fd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw new IllegalStateException("setns failed", t);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }
}
