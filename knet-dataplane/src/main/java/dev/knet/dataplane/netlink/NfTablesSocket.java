package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An nf_tables netlink socket in one knet namespace that applies set and map element changes as one batch,
 * without nft's parser and without the cache of tables, sets and chains nft reads again after every change to
 * the ruleset's generation: one send, where libnftables makes seven round trips. Like nft, it asks for no
 * acknowledgements: the kernel handles a netlink message in the sender's send call, so when send returns, the
 * batch is committed or refused and any error is already queued on the socket, to be read without waiting.
 */
public final class NfTablesSocket implements AutoCloseable {

    private static final int NLMSG_ERROR = 2;
    private static final int DEFAULT_SEND_BUFFER = 200_000;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private final String netns;
    private final int fd;
    private int sendBuffer = DEFAULT_SEND_BUFFER;
    private int seq;
    private boolean closed;

    private NfTablesSocket(String netns, int fd) {
        this.netns = netns;
        this.fd = fd;
    }

    /** A socket inside {@code netns}; NOT_FOUND when the namespace does not exist. */
    public static NfTablesSocket open(String netns) {
        int fd = NetlinkSockets.open(netns, Libc.NETLINK_NETFILTER);
        // An error reply then carries the refused message's header only, not its 60 kB of elements.
        Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
        return new NfTablesSocket(netns, fd);
    }

    /**
     * Applies every operation in one kernel transaction, or none of them: the first refusal is thrown with its
     * kind (an element to delete that is not there: NOT_FOUND; a set that does not exist: NOT_FOUND).
     */
    public synchronized void commit(List<NfElementOp> ops) {
        if (closed) {
            throw new IllegalStateException("nf_tables socket for " + netns + " is closed");
        }
        if (ops.isEmpty()) {
            return;
        }
        List<NfTablesBatch.Part> parts = NfTablesBatch.encode(ops);
        int firstSeq = seq + 1;
        List<byte[]> messages = new ArrayList<>(parts.size());
        long total = 0;
        for (NfTablesBatch.Part part : parts) {
            byte[] bytes = part.message().bytes(++seq);
            messages.add(bytes);
            total += bytes.length;
        }
        if (total > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("an element batch of " + total + " bytes is too large");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(total);
            long off = 0;
            for (byte[] m : messages) {
                MemorySegment.copy(m, 0, out, ValueLayout.JAVA_BYTE, off, m.length);
                off += m.length;
            }
            growSendBuffer(total);
            Libc.Result sent = Libc.send(fd, out, total);
            if (sent.failed()) {
                throw new DataplaneException(DataplaneException.Kind.IO, "element batch in " + netns + ": send failed: "
                        + Errno.describe(sent.errno()));
            }
            refusal(arena, parts, firstSeq);
        }
    }

    /** The batch goes in one send, so the socket's send buffer must hold all of it (the kernel allows ~half). */
    private void growSendBuffer(long total) {
        if (total + 4096 > sendBuffer) {
            int size = (int) Math.min(Integer.MAX_VALUE / 2, total + 65536);
            Libc.Result r = Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, size);
            if (r.failed()) {
                throw new DataplaneException(DataplaneException.Kind.PERMISSION, "cannot raise the nf_tables socket's "
                        + "send buffer to " + size + " bytes in " + netns + ": " + Errno.describe(r.errno()));
            }
            sendBuffer = size;
        }
    }

    /** Reads what the kernel queued for this batch; throws its first error. */
    private void refusal(Arena arena, List<NfTablesBatch.Part> parts, int firstSeq) {
        MemorySegment in = arena.allocate(64 * 1024);
        DataplaneException first = null;
        while (true) {
            Libc.Result got = Libc.recv(fd, in, Libc.MSG_DONTWAIT);
            if (got.failed()) {
                if (got.errno() == Libc.EAGAIN) {
                    break;
                }
                throw new DataplaneException(DataplaneException.Kind.IO, "element batch in " + netns
                        + ": recv failed: " + Errno.describe(got.errno()));
            }
            for (long off = 0; off + NlMessage.HEADER <= got.value(); ) {
                int len = in.get(INT, off);
                int type = Short.toUnsignedInt(in.get(SHORT, off + 4));
                int replySeq = in.get(INT, off + 8);
                if (len < NlMessage.HEADER) {
                    break;
                }
                int index = replySeq - firstSeq;
                if (type == NLMSG_ERROR && first == null && index >= 0 && index < parts.size()) {
                    int error = -in.get(INT, off + NlMessage.HEADER);
                    if (error != 0) {
                        String what = parts.get(index).message().what();
                        first = new DataplaneException(Errno.kind(error), what + " in " + netns + " failed: "
                                + Errno.describe(error));
                    }
                }
                off += (len + 3) & ~3;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
