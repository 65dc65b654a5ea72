package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An nf_tables netlink socket in one knet namespace that applies set and map element changes as one batch,
 * without nft's parser and without the cache of tables, sets and chains nft reads again after every change to
 * the ruleset's generation: one send, where libnftables makes seven round trips.
 *
 * <p>The kernel handles the batch inside the send call and queues its answer on the socket: an error for each
 * refused message, and, because the batch's last element message asks for one, an acknowledgement of that
 * message. The acknowledgement is what proves the batch was read to its end; nft, which asks for none, would
 * take a batch the kernel dropped whole without a word (a malformed one) for a success. A refusal of the whole
 * batch (a failed commit, no memory) answers the batch-begin message instead.
 */
public final class NfTablesSocket implements AutoCloseable {

    private static final int NLMSG_ERROR = 2;
    private static final int DEFAULT_SEND_BUFFER = 200_000;
    /** The answer is queued before send returns; the wait only bounds a batch that never gets one. */
    private static final long ANSWER_TIMEOUT_MILLIS = 2_000;
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
        Libc.receiveTimeout(fd, ANSWER_TIMEOUT_MILLIS);
        return new NfTablesSocket(netns, fd);
    }

    /**
     * Applies every operation in one kernel transaction, or none of them: the first refusal is thrown with its
     * kind (an element to delete that is not there: NOT_FOUND; a set that does not exist: NOT_FOUND).
     */
    public synchronized void commit(List<NfElementOp> ops) {
        commit(ops, UnaryOperator.identity());
    }

    /** As {@link #commit(List)}, with the numbered messages passed through {@code onTheWire} (tests damage them). */
    synchronized void commit(List<NfElementOp> ops, UnaryOperator<List<byte[]>> onTheWire) {
        if (closed) {
            throw new IllegalStateException("nf_tables socket for " + netns + " is closed");
        }
        if (ops.isEmpty()) {
            return;
        }
        List<NfTablesBatch.Part> parts = NfTablesBatch.encode(ops);
        if (parts.size() == 2) {
            return; // operations without elements: begin and end only
        }
        int firstSeq = seq + 1;
        List<byte[]> messages = new ArrayList<>(parts.size());
        long total = 0;
        for (NfTablesBatch.Part part : parts) {
            byte[] bytes = part.message().bytes(++seq);
            messages.add(bytes);
            total += bytes.length;
        }
        messages = onTheWire.apply(messages);
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
            awaitAnswer(arena, parts, firstSeq);
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

    /**
     * Reads the kernel's answer to this batch up to its last word (the acknowledgement of the last element
     * message, or an error for the batch-begin message) and throws the first error in it. Answers to earlier
     * batches, left on the socket after a refusal, are skipped by their sequence numbers.
     */
    private void awaitAnswer(Arena arena, List<NfTablesBatch.Part> parts, int firstSeq) {
        MemorySegment in = arena.allocate(64 * 1024);
        int lastSeq = firstSeq + parts.size() - 2; // the acknowledged message, just before batch end
        DataplaneException first = null;
        while (true) {
            Libc.Result got = Libc.recv(fd, in);
            if (got.failed()) {
                String why = got.errno() == Libc.EAGAIN
                        ? "no answer from the kernel within " + ANSWER_TIMEOUT_MILLIS + " ms: it neither applied nor refused it"
                        : "recv failed: " + Errno.describe(got.errno());
                throw new DataplaneException(DataplaneException.Kind.IO, "element batch in " + netns + ": " + why);
            }
            for (long off = 0; off + NlMessage.HEADER <= got.value(); ) {
                int len = in.get(INT, off);
                int type = Short.toUnsignedInt(in.get(SHORT, off + 4));
                int replySeq = in.get(INT, off + 8);
                if (len < NlMessage.HEADER) {
                    break;
                }
                int index = replySeq - firstSeq;
                if (type == NLMSG_ERROR && index >= 0 && index < parts.size()) {
                    int error = -in.get(INT, off + NlMessage.HEADER);
                    if (error != 0 && first == null) {
                        String what = parts.get(index).message().what();
                        first = new DataplaneException(Errno.kind(error), what + " in " + netns + " failed: "
                                + Errno.describe(error));
                    }
                    if (replySeq == lastSeq || (replySeq == firstSeq && error != 0)) {
                        if (first != null) {
                            throw first;
                        }
                        return;
                    }
                }
                off += (len + 3) & ~3;
            }
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
