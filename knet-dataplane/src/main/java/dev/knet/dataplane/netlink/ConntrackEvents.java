package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.conntrack.ConntrackParser;
import dev.knet.dataplane.conntrack.ConntrackSource;
import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dataplane.netns.NetnsThread;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The listener of conntrack's new-connection events inside a knet namespace: a NETLINK_NETFILTER socket that
 * joined the NFNLGRP_CONNTRACK_NEW multicast group, so every connection conntrack confirms there arrives as an
 * IPCTNL_MSG_CT_NEW message. Any number of listeners may join. Joining alone proves nothing (the kernel accepts
 * the membership even without ctnetlink), so opening also checks that the namespace has conntrack events
 * switched on ({@code net.netfilter.nf_conntrack_events}, read inside the namespace) and asks ctnetlink for its
 * statistics, which fails without ctnetlink: a source that opened will deliver.
 */
public final class ConntrackEvents implements ConntrackSource {

    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);

    private static final int NFNLGRP_CONNTRACK_NEW = 1;
    /** (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_STATS. */
    private static final int MSG_GET_STATS = (1 << 8) | 5;
    private static final int NLMSG_ERROR = 2;
    private static final int AF_UNSPEC = 0;
    /** Conntrack events come per connection, in bursts when a client fans out: a larger buffer than nflog's. */
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final long ACK_TIMEOUT_MILLIS = 2_000;
    private static final Path EVENTS_SYSCTL = Path.of("/proc/sys/net/netfilter/nf_conntrack_events");

    private final String netns;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment in;
    private final List<ConntrackFlow> early = new ArrayList<>();
    private long lost;
    private boolean closed;

    private ConntrackEvents(String netns, int fd) {
        this.netns = netns;
        this.fd = fd;
        this.in = arena.allocate(64 * 1024);
    }

    /** Listens in {@code netns} with the default poll interval. */
    public static ConntrackEvents open(String netns) {
        return open(netns, DEFAULT_POLL);
    }

    /**
     * Joins the new-connection group in {@code netns}; {@link #receive()} then waits at most {@code poll}.
     * NOT_FOUND when the namespace does not exist; OTHER, saying why, when the kernel has no conntrack events
     * there (no ctnetlink, built without CONFIG_NF_CONNTRACK_EVENTS, or events switched off).
     */
    public static ConntrackEvents open(String netns, Duration poll) {
        NetnsNames.requireKnet(netns);
        int fd;
        try {
            fd = NetnsThread.run(netns, () -> {
                requireEvents(netns); // /proc/sys/net shows the namespace of the thread that reads it
                return NetlinkSockets.openHere(netns, Libc.NETLINK_NETFILTER);
            });
        } catch (DataplaneException | IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new DataplaneException(DataplaneException.Kind.IO, "cannot open a netlink socket in " + netns,
                    List.of(), -1, "", e);
        }
        ConntrackEvents socket = new ConntrackEvents(netns, fd);
        try {
            // a failure here only means the default buffer, and earlier overflows (counted in lost())
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, RECEIVE_BUFFER);
            Libc.Result joined = Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, NFNLGRP_CONNTRACK_NEW);
            if (joined.failed()) {
                throw new DataplaneException(Errno.kind(joined.errno()), "cannot join the conntrack event group in "
                        + netns + ": " + Errno.describe(joined.errno()));
            }
            Libc.receiveTimeout(fd, ACK_TIMEOUT_MILLIS);
            socket.probe();
            Libc.receiveTimeout(fd, Math.max(1, poll.toMillis()));
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void requireEvents(String netns) {
        String value;
        try {
            value = Files.readString(EVENTS_SYSCTL).strip();
        } catch (NoSuchFileException e) {
            throw unsupported(netns, "there is no net.netfilter.nf_conntrack_events (conntrack not loaded, or a "
                    + "kernel built without CONFIG_NF_CONNTRACK_EVENTS)");
        } catch (IOException e) {
            throw unsupported(netns, "cannot read net.netfilter.nf_conntrack_events: " + e.getMessage());
        }
        if ("0".equals(value)) {
            throw unsupported(netns, "conntrack events are switched off (net.netfilter.nf_conntrack_events=0)");
        }
    }

    private static DataplaneException unsupported(String netns, String why) {
        return new DataplaneException(DataplaneException.Kind.OTHER, "no conntrack events in " + netns + ": " + why);
    }

    /** Asks ctnetlink for its statistics and waits for the acknowledgement; events arriving first are kept. */
    private void probe() {
        NlMessage message = new NlMessage(MSG_GET_STATS, 0, "ask ctnetlink for statistics in " + netns)
                .nfgen(AF_UNSPEC, 0);
        int seq = 1;
        byte[] bytes = message.bytes(seq);
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
            early.addAll(ConntrackParser.parseAll(data, data.length));
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
            for (int off = 0; off + NlMessage.HEADER + 4 <= data.length; ) {
                int len = b.getInt(off);
                if (len < NlMessage.HEADER) {
                    break;
                }
                if (b.getShort(off + 4) == NLMSG_ERROR && b.getInt(off + 8) == seq) {
                    int error = -b.getInt(off + NlMessage.HEADER);
                    if (error != 0) {
                        throw new DataplaneException(DataplaneException.Kind.OTHER, "no conntrack events in " + netns
                                + ": ctnetlink does not answer (" + Errno.describe(error) + ")");
                    }
                    return;
                }
                off += (len + 3) & ~3;
            }
        }
    }

    @Override
    public synchronized List<ConntrackFlow> receive() {
        if (closed) {
            throw new IllegalStateException("conntrack event socket in " + netns + " is closed");
        }
        if (!early.isEmpty()) {
            List<ConntrackFlow> first = List.copyOf(early);
            early.clear();
            return first;
        }
        Libc.Result got = Libc.recv(fd, in);
        if (got.failed()) {
            if (got.errno() == Libc.EAGAIN) {
                return List.of();
            }
            if (got.errno() == Errno.ENOBUFS) {
                lost++; // the kernel dropped events for a full buffer; it does not say how many
                return List.of();
            }
            throw new DataplaneException(DataplaneException.Kind.IO, "conntrack events in " + netns
                    + ": recv failed: " + Errno.describe(got.errno()));
        }
        byte[] data = in.asSlice(0, got.value()).toArray(ValueLayout.JAVA_BYTE);
        return ConntrackParser.parseAll(data, data.length);
    }

    /** Times the kernel's queue to this socket overflowed (each losing one or more events). */
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
