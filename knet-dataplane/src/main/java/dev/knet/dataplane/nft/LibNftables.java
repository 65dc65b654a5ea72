package dev.knet.dataplane.nft;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.netlink.NfElementOp;
import dev.knet.dataplane.netlink.NfTablesSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * nftables through libnftables in-process (FFM), for fast incremental updates: no process per transaction.
 * Every library call runs on the caller's own platform thread, moved into the target namespace for the call
 * and back ({@link ThreadNetns}); the context (and its netlink socket) is created inside the namespace too.
 * An earlier version handed each call to one pinned thread living in the namespace: that hand-off (two thread
 * wake-ups) cost ~2 ms p50 on a loaded two-core machine for a call whose own work is ~0.2 ms. Calls are
 * serialised by a lock because an nft context is not thread-safe. As with {@link NftCommand}, there is no
 * root-namespace mode.
 * <p>
 * A transaction of element changes only, on sets this handle has declared, skips libnftables: it goes to the
 * kernel as one nf_tables netlink batch ({@link NfTablesSocket}), without nft's parser and the cache reads nft
 * makes after every ruleset change. {@code KNET_NFT_ELEMENTS=text} turns that off.
 */
public final class LibNftables implements Nftables {

    private final String namespace;
    private final ThreadNetns netns;
    private final LibNftablesCalls calls;
    private final MemorySegment ctx;
    private final ReentrantLock lock = new ReentrantLock();
    private final NftElementCodec codec = new NftElementCodec();
    private final boolean elementBatches;
    private NfTablesSocket elementSocket;
    private long netlinkBatches;
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
        this(namespace, !"text".equals(System.getenv("KNET_NFT_ELEMENTS")));
    }

    /** @param elementBatches whether element-only transactions may go as netlink batches */
    public LibNftables(String namespace, boolean elementBatches) throws NftException {
        if (namespace == null || namespace.isBlank() || namespace.contains("/")) {
            throw new IllegalArgumentException("a network namespace name is required: nft never runs in the root namespace");
        }
        this.namespace = namespace;
        this.elementBatches = elementBatches;
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
        if (transaction.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("libnftables context for " + namespace + " is closed");
            }
            Optional<List<NfElementOp>> batch = elementBatches ? codec.encode(transaction) : Optional.empty();
            NfTablesSocket socket = batch.isPresent() ? elementSocket() : null;
            if (socket != null) {
                commit(socket, batch.get());
                netlinkBatches++;
                return;
            }
            command(transaction.toString());
            codec.learn(transaction);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean fastElementBatches() {
        return elementBatches;
    }

    /** How many transactions went to the kernel as netlink element batches rather than through libnftables. */
    public long netlinkBatches() {
        lock.lock();
        try {
            return netlinkBatches;
        } finally {
            lock.unlock();
        }
    }

    private void commit(NfTablesSocket socket, List<NfElementOp> batch) throws NftException {
        try {
            socket.commit(batch);
        } catch (DataplaneException e) {
            NftException.Kind kind = switch (e.kind()) {
                case NOT_FOUND -> NftException.Kind.NOT_FOUND;
                case EXISTS -> NftException.Kind.EXISTS;
                default -> NftException.Kind.OTHER;
            };
            throw new NftException(kind, "element batch failed in netns " + namespace + " (" + kind + ")",
                    e.getMessage(), e);
        }
    }

    /** The netlink socket for element batches, opened on first use; null when it cannot be opened here. */
    private NfTablesSocket elementSocket() {
        if (elementSocket == null) {
            try {
                elementSocket = NfTablesSocket.open(namespace);
            } catch (DataplaneException | IllegalArgumentException | IllegalStateException e) {
                return null; // the text path still works: nothing is lost but speed
            }
        }
        return elementSocket;
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
                if (elementSocket != null) {
                    elementSocket.close();
                }
                calls.free(ctx);
                netns.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
