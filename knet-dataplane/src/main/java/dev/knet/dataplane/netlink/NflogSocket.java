package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogParser;
import dev.knet.dataplane.nflog.NflogSource;

import java.nio.ByteBuffer;
import java.time.Duration;
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
    private static final int AF_UNSPEC = 0;
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final String netns;
    private final int group;
    private final NetfilterListener<NflogPacket> listener;

    private NflogSocket(String netns, int group, int fd) {
        this.netns = netns;
        this.group = group;
        this.listener = new NetfilterListener<>(netns, fd, "nflog group " + group,
                data -> NflogParser.parseAll(data, data.length));
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
        NflogSocket socket = new NflogSocket(netns, group, NetlinkSockets.open(netns, Libc.NETLINK_NETFILTER));
        try {
            // a burst of drops must not overflow the default ~200 kB
            socket.listener.receiveBuffer(RECEIVE_BUFFER);
            socket.listener.timeout(NetfilterListener.ACK_TIMEOUT_MILLIS);
            socket.listener.request(socket.config("bind nflog group " + group)
                    .attr(NFULA_CFG_CMD, new byte[] {CMD_BIND}), NflogSocket::refused);
            socket.listener.request(socket.config("set copy mode of nflog group " + group)
                    .attr(NFULA_CFG_MODE, ByteBuffer.allocate(6).putInt(copyRange).put((byte) COPY_PACKET).array())
                    .attr(NFULA_CFG_QTHRESH, ByteBuffer.allocate(4).putInt(1).array()), NflogSocket::refused);
            socket.listener.timeout(poll.toMillis());
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private NlMessage config(String what) {
        return new NlMessage(MSG_CONFIG, 0, what + " in " + netns).nfgen(AF_UNSPEC, group);
    }

    /** The kernel answers a bind of a group another socket holds with EPERM, as for a missing CAP_NET_ADMIN. */
    private static DataplaneException refused(int errno, String what) {
        String hint = errno == Errno.EPERM || errno == Errno.EBUSY ? " (is another reader listening to this group?)" : "";
        return new DataplaneException(Errno.kind(errno), what + " failed: " + Errno.describe(errno) + hint);
    }

    @Override
    public List<NflogPacket> receive() {
        return listener.receive();
    }

    /** Times the kernel's queue to this socket overflowed (each losing one or more packets). */
    @Override
    public long lost() {
        return listener.lost();
    }

    @Override
    public void close() {
        listener.close();
    }
}
