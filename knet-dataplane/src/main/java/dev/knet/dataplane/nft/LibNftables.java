package dev.knet.dataplane.nft;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * nftables through libnftables in-process (FFM), for fast incremental updates: no process per transaction.
 * The netlink socket belongs to the network namespace of the thread that opens it, so one dedicated platform
 * thread enters the target namespace with setns(2) first and then makes every library call; it never returns
 * to the root namespace and dies with this object. As with {@link NftCommand}, there is no root-namespace mode.
 */
public final class LibNftables implements Nftables, AutoCloseable {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private final String namespace;
    private final ExecutorService thread;
    private final LibNftablesCalls calls;
    private final MemorySegment ctx;

    /** True when libnftables.so.1 can be loaded here. */
    public static boolean isAvailable() {
        try {
            SymbolLookup.libraryLookup("libnftables.so.1", Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public LibNftables(String namespace) throws NftException {
        if (namespace == null || namespace.isBlank() || namespace.contains("/")) {
            throw new IllegalArgumentException("a network namespace name is required: nft never runs in the root namespace");
        }
        this.namespace = namespace;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("knet-nft-" + namespace).daemon().factory());
        this.calls = new LibNftablesCalls();
        try {
            this.ctx = onThread(() -> {
                enterNamespace();
                return calls.newContext();
            });
        } catch (NftException e) {
            thread.shutdownNow();
            throw e;
        }
    }

    @Override
    public void run(NftTransaction transaction) throws NftException {
        if (!transaction.isEmpty()) {
            command(transaction.toString());
        }
    }

    @Override
    public String dump() throws NftException {
        return command("list ruleset");
    }

    private String command(String text) throws NftException {
        LibNftablesCalls.Result r = onThread(() -> calls.run(ctx, text));
        if (r.rc() != 0) {
            NftException.Kind kind = NftException.classify(r.error());
            throw new NftException(kind, "libnftables failed in netns " + namespace + " (" + kind + ")", r.error());
        }
        return r.output();
    }

    /** Runs on the pinned thread; setns affects only the calling thread for network namespaces. */
    private void enterNamespace() throws NftException {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setns = linker.downcallHandle(libc.find("setns").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) open.invokeExact(arena.allocateFrom("/var/run/netns/" + namespace), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new NftException(NftException.Kind.NOT_FOUND, "no network namespace " + namespace, "");
            }
            int rc = (int) setns.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) close.invokeExact(fd);
            if (rc != 0) {
                throw new NftException(NftException.Kind.OTHER, "setns into " + namespace + " failed", "");
            }
        } catch (NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new NftException(NftException.Kind.OTHER, "setns into " + namespace + " failed", "", t);
        }
    }

    private <T> T onThread(Callable<T> work) throws NftException {
        try {
            return thread.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException(NftException.Kind.OTHER, "interrupted", "", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NftException n) {
                throw n;
            }
            throw new NftException(NftException.Kind.OTHER, "libnftables call failed in netns " + namespace, "", e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            onThread(() -> {
                calls.free(ctx);
                return null;
            });
        } catch (NftException ignored) {
            // the thread is going away anyway
        } finally {
            thread.shutdownNow();
        }
    }
}
