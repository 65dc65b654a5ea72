package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A NETLINK_NETFILTER socket in a knet namespace that the kernel sends messages of one kind to (nflog packets,
 * conntrack events): the part the nflog and conntrack listeners share. It sends a request and waits for its
 * acknowledgement, keeping what arrives first, and it reads with a timeout so a reader can be stopped.
 *
 * @param <T> what one message becomes
 */
final class NetfilterListener<T> implements AutoCloseable {

    static final long ACK_TIMEOUT_MILLIS = 2_000;
    private static final int NLMSG_ERROR = 2;

    private final String netns;
    private final String what;
    private final int fd;
    private final Function<byte[], List<T>> parser;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment in;
    private final List<T> early = new ArrayList<>();
    private int seq;
    private long lost;
    private boolean closed;

    /**
     * @param fd     a NETLINK_NETFILTER socket opened inside {@code netns}; this listener closes it
     * @param what   the listener in words, for errors ("nflog group 100")
     * @param parser one datagram to its messages of interest (others are skipped)
     */
    NetfilterListener(String netns, int fd, String what, Function<byte[], List<T>> parser) {
        this.netns = netns;
        this.fd = fd;
        this.what = what;
        this.parser = parser;
        this.in = arena.allocate(64 * 1024);
    }

    int fd() {
        return fd;
    }

    /** A larger receive buffer for bursts; a failure only leaves the default (overflows show in {@link #lost()}). */
    void receiveBuffer(int bytes) {
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, bytes);
    }

    /** How long {@link #receive()} (and waiting for an acknowledgement) blocks at most. */
    void timeout(long millis) {
        Libc.receiveTimeout(fd, Math.max(1, millis));
    }

    /**
     * Sends {@code message} and waits for its acknowledgement, keeping messages that arrive first for the next
     * {@link #receive()}. A refusal becomes {@code refused.apply(errno, what)}.
     */
    void request(NlMessage message, BiFunction<Integer, String, DataplaneException> refused) {
        int mySeq = ++seq;
        byte[] bytes = message.bytes(mySeq);
        MemorySegment out = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, 0, bytes.length);
        Libc.Result sent = Libc.send(fd, out, bytes.length);
        if (sent.failed()) {
            throw new DataplaneException(DataplaneException.Kind.IO, message.what() + ": send failed: "
                    + Errno.describe(sent.errno()));
        }
        while (true) {
            Libc.Result got = Libc.recv(fd, in);
            if (got.failed()) {
                if (got.errno() == Errno.ENOBUFS) {
                    lost++;
                    continue;
                }
                String why = got.errno() == Libc.EAGAIN ? "no answer from the kernel within " + ACK_TIMEOUT_MILLIS + " ms"
                        : Errno.describe(got.errno());
                throw new DataplaneException(DataplaneException.Kind.IO, message.what() + " failed: " + why);
            }
            byte[] data = in.asSlice(0, got.value()).toArray(ValueLayout.JAVA_BYTE);
            early.addAll(parser.apply(data));
            for (byte[] error : NetlinkMessages.ofType(data, data.length, NLMSG_ERROR)) {
                ByteBuffer e = ByteBuffer.wrap(error).order(ByteOrder.nativeOrder());
                if (error.length >= NetlinkMessages.HEADER + 4 && e.getInt(8) == mySeq) {
                    int errno = -e.getInt(NetlinkMessages.HEADER);
                    if (errno != 0) {
                        throw refused.apply(errno, message.what());
                    }
                    return;
                }
            }
        }
    }

    /** What arrived within the timeout, oldest first; empty when nothing did or the kernel's queue overflowed. */
    synchronized List<T> receive() {
        if (closed) {
            throw new IllegalStateException(what + " in " + netns + " is closed");
        }
        if (!early.isEmpty()) {
            List<T> first = List.copyOf(early);
            early.clear();
            return first;
        }
        Libc.Result got = Libc.recv(fd, in);
        if (got.failed()) {
            if (got.errno() == Libc.EAGAIN) {
                return List.of();
            }
            if (got.errno() == Errno.ENOBUFS) {
                lost++; // the kernel dropped messages for a full buffer; it does not say how many
                return List.of();
            }
            throw new DataplaneException(DataplaneException.Kind.IO, what + " in " + netns + ": recv failed: "
                    + Errno.describe(got.errno()));
        }
        return parser.apply(in.asSlice(0, got.value()).toArray(ValueLayout.JAVA_BYTE));
    }

    /** Times the kernel's queue to this socket overflowed (each losing one or more messages). */
    synchronized long lost() {
        return lost;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
