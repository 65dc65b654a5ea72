package dev.knet.dataplane.netns;

import dev.knet.dataplane.DataplaneException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task inside a named network namespace on a dedicated platform thread, via setns(2).
 *
 * <p>Why a dedicated platform thread: setns changes the namespace of the calling OS thread only.
 * A virtual thread can hop between carriers, and a pooled thread would leak the namespace into
 * unrelated work; a fresh platform thread that switches back in {@code finally} and then ends
 * cannot. Sockets opened by the task stay in the target namespace after the thread ends. Threads
 * the task itself starts inherit the target namespace.
 */
public final class NetnsThread {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private NetnsThread() {
    }

    /** Runs {@code task} inside {@code netnsName} and returns its result; the task's exception is rethrown. */
    public static <T> T run(String netnsName, Callable<T> task) throws Exception {
        String path = NetnsNames.path(netnsName);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("knet-netns-" + netnsName).unstarted(() -> {
            try {
                result.set(inNamespace(path, task));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    private static <T> T inNamespace(String path, Callable<T> task) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int home = open(arena, state, "/proc/thread-self/ns/net");
            try {
                int target = open(arena, state, path);
                try {
                    setns(state, target, path);
                } finally {
                    close(target);
                }
                try {
                    return task.call();
                } finally {
                    // must succeed, or this thread would carry on in the pod namespace
                    setns(state, home, "the original namespace");
                }
            } finally {
                close(home);
            }
        }
    }

    private static int open(Arena arena, MemorySegment state, String path) {
        try {
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC, 0);
            if (fd < 0) {
                throw new DataplaneException(DataplaneException.Kind.NOT_FOUND,
                        "cannot open " + path + ": errno " + (int) ERRNO.get(state, 0L));
            }
            return fd;
        } catch (DataplaneException e) {
            throw e;
        } catch (Throwable t) {
            throw new DataplaneException(DataplaneException.Kind.IO, "open " + path + " failed", java.util.List.of(),
                    -1, "", t);
        }
    }

    private static void setns(MemorySegment state, int fd, String what) {
        int rc;
        try {
            rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw new DataplaneException(DataplaneException.Kind.IO, "setns into " + what + " failed",
                    java.util.List.of(), -1, "", t);
        }
        if (rc != 0) {
            throw new DataplaneException(DataplaneException.Kind.PERMISSION,
                    "setns into " + what + " failed: errno " + (int) ERRNO.get(state, 0L));
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") failed", t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }
}
