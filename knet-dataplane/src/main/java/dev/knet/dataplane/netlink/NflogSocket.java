package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogParser;
import dev.knet.dataplane.nflog.NflogSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The listener of one nflog group inside a knet namespace: what {@code log ... group N} rules there log arrives
 * here as NFULNL_MSG_PACKET messages. The kernel allows one listener per group and namespace: a second
 * reader's bind is refused ("Operation not permitted"). The socket asks for the first {@code copyRange} bytes of
 * each packet (the IP and L4 headers are all a reader needs) and for delivery of every packet at once (queue
 * threshold 1) instead of nfnetlink_log's default batches of up to 100 packets or one second.
 */
public final class NflogSocket implements NflogSource {

    public static final int DEFAULT_COPY_RANGE = 128;
    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);

    /** (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG. */
    private static final int MSG_CONFIG = (4 << 8) | 1;
    private static final int NFULA_CFG_CMD = 1;
    private static final int NFULA_CFG_MODE = 2;
    private static final int NFULA_CFG_QTHRESH = 5;
    private static final int CMD_BIND = 1;
    private static final int COPY_PACKET = 2;
    private static final int NLMSG_ERROR = 2;
    private static final int AF_UNSPEC = 0;
    private static final int RECEIVE_BUFFER = 1 << 20;
    private static final long ACK_TIMEOUT_MILLIS = 2_000;

    private final String netns;
    private final int group;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment in;
    private final List<NflogPacket> early = new ArrayList<>();
    private int seq;
    private long lost;
    private boolean closed;

    private NflogSocket(String netns, int group, int fd) {
        this.netns = netns;
        this.group = group;
        this.fd = fd;
        this.in = arena.allocate(64 * 1024);
    }

    /** Listens to {@code group} in {@code netns} with the default copy range and poll interval. */
    public static NflogSocket open(String netns, int group) {
        return open(netns, group, DEFAULT_COPY_RANGE, DEFAULT_POLL);
    }

    /**
     * Binds {@code group} in {@code netns}; {@link #receive()} then waits at most {@code poll} for a packet.
     * NOT_FOUND when the namespace does not exist; the kernel's refusal (group taken, no nfnetlink_log) as is.
     */
    public static NflogSocket open(String netns, int group, int copyRange, Duration poll) {
        if (group < 0 || group > 65535) {
            throw new IllegalArgumentException("nflog group out of range: " + group);
        }
        int fd = NetlinkSockets.open(netns, Libc.NETLINK_NETFILTER);
        NflogSocket socket = new NflogSocket(netns, group, fd);
        try {
            // a burst of drops must not overflow the default ~200 kB; a failure here only means a smaller buffer
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, RECEIVE_BUFFER);
            Libc.receiveTimeout(fd, ACK_TIMEOUT_MILLIS);
            socket.configure(socket.config("bind nflog group " + group)
                    .attr(NFULA_CFG_CMD, new byte[] {CMD_BIND}));
            socket.configure(socket.config("set copy mode of nflog group " + group)
                    .attr(NFULA_CFG_MODE, ByteBuffer.allocate(6).putInt(copyRange).put((byte) COPY_PACKET).array())
                    .attr(NFULA_CFG_QTHRESH, ByteBuffer.allocate(4).putInt(1).array()));
            Libc.receiveTimeout(fd, Math.max(1, poll.toMillis()));
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private NlMessage config(String what) {
        return new NlMessage(MSG_CONFIG, 0, what + " in " + netns).nfgen(AF_UNSPEC, group);
    }

    /** Sends one config message and waits for its acknowledgement; packets that arrive first are kept. */
    private void configure(NlMessage message) {
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
                String why = got.errno() == Libc.EAGAIN ? "no answer from the kernel within " + ACK_TIMEOUT_MILLIS + " ms"
                        : Errno.describe(got.errno());
                throw new DataplaneException(DataplaneException.Kind.IO, message.what() + " failed: " + why);
            }
            byte[] data = in.asSlice(0, got.value()).toArray(ValueLayout.JAVA_BYTE);
            early.addAll(NflogParser.parseAll(data, data.length));
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
            for (int off = 0; off + NlMessage.HEADER + 4 <= data.length; ) {
                int len = b.getInt(off);
                if (len < NlMessage.HEADER) {
                    break;
                }
                if (b.getShort(off + 4) == NLMSG_ERROR && b.getInt(off + 8) == mySeq) {
                    int error = -b.getInt(off + NlMessage.HEADER);
                    if (error != 0) {
                        // the kernel answers a bind of a group another socket holds with EPERM, as for no CAP_NET_ADMIN
                        String hint = error == Errno.EPERM || error == Errno.EBUSY
                                ? " (is another reader listening to this group?)" : "";
                        throw new DataplaneException(Errno.kind(error), message.what() + " failed: "
                                + Errno.describe(error) + hint);
                    }
                    return;
                }
                off += (len + 3) & ~3;
            }
        }
    }

    @Override
    public synchronized List<NflogPacket> receive() {
        if (closed) {
            throw new IllegalStateException("nflog socket for group " + group + " in " + netns + " is closed");
        }
        if (!early.isEmpty()) {
            List<NflogPacket> first = List.copyOf(early);
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
            throw new DataplaneException(DataplaneException.Kind.IO, "nflog group " + group + " in " + netns
                    + ": recv failed: " + Errno.describe(got.errno()));
        }
        byte[] data = in.asSlice(0, got.value()).toArray(ValueLayout.JAVA_BYTE);
        return NflogParser.parseAll(data, data.length);
    }

    /** Times the kernel's queue to this socket overflowed (each losing one or more packets). */
    @Override
    public synchronized long lost() {
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
