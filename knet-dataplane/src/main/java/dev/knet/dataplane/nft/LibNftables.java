package dev.knet.dataplane.nft;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.concurrent.locks.ReentrantLock;

/**
 * nftables through libnftables in-process (FFM), for fast incremental updates: no process per transaction.
 * Every library call runs on the caller's own platform thread, moved into the target namespace for the call
 * and back ({@link ThreadNetns}); the context (and its netlink socket) is created inside the namespace too.
 * An earlier version handed each call to one pinned thread living in the namespace: that hand-off (two thread
 * wake-ups) cost ~2 ms p50 on a loaded two-core machine for a call whose own work is ~0.2 ms. Calls are
 * serialised by a lock because an nft context is not thread-safe. As with {@link NftCommand}, there is no
 * root-namespace mode.
 */
public final class LibNftables implements Nftables {

    private final String namespace;
    private final ThreadNetns netns;
    private final LibNftablesCalls calls;
    private final MemorySegment ctx;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

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
        this.netns = new ThreadNetns(namespace);
        this.calls = new LibNftablesCalls();
        try {
            this.ctx = netns.call(calls::newContext);
        } catch (NftException | RuntimeException e) {
            netns.close();
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

    @Override
    public String list(NftObject.Flushable object) throws NftException {
        return command("list " + object.ref());
    }

    private String command(String text) throws NftException {
        LibNftablesCalls.Result r;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("libnftables context for " + namespace + " is closed");
            }
            r = netns.call(() -> calls.run(ctx, text));
        } finally {
            lock.unlock();
        }
        if (r.rc() != 0) {
            NftException.Kind kind = NftException.classify(r.error());
            throw new NftException(kind, "libnftables failed in netns " + namespace + " (" + kind + ")", r.error());
        }
        return r.output();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                calls.free(ctx);
                netns.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
