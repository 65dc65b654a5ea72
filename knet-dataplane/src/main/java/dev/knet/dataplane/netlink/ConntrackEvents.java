package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.conntrack.ConntrackParser;
import dev.knet.dataplane.conntrack.ConntrackSource;
import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dataplane.netns.NetnsThread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final int AF_UNSPEC = 0;
    /** Conntrack events come per connection, in bursts when a client fans out: a larger buffer than nflog's. */
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final Path EVENTS_SYSCTL = Path.of("/proc/sys/net/netfilter/nf_conntrack_events");

    private final String netns;
    private final NetfilterListener<ConntrackFlow> listener;

    private ConntrackEvents(String netns, int fd) {
        this.netns = netns;
        this.listener = new NetfilterListener<>(netns, fd, "conntrack event socket",
                data -> ConntrackParser.parseAll(data, data.length));
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
            socket.listener.receiveBuffer(RECEIVE_BUFFER);
            Libc.Result joined = Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, NFNLGRP_CONNTRACK_NEW);
            if (joined.failed()) {
                throw new DataplaneException(Errno.kind(joined.errno()), "cannot join the conntrack event group in "
                        + netns + ": " + Errno.describe(joined.errno()));
            }
            socket.listener.timeout(NetfilterListener.ACK_TIMEOUT_MILLIS);
            // joining alone proves nothing: ctnetlink must answer a request too
            socket.listener.request(new NlMessage(MSG_GET_STATS, 0, "ask ctnetlink for statistics in " + netns)
                    .nfgen(AF_UNSPEC, 0), (errno, what) -> unsupported(netns, "ctnetlink does not answer ("
                    + Errno.describe(errno) + ")"));
            socket.listener.timeout(poll.toMillis());
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

    @Override
    public List<ConntrackFlow> receive() {
        return listener.receive();
    }

    /** Times the kernel's queue to this socket overflowed (each losing one or more events). */
    @Override
    public long lost() {
        return listener.lost();
    }

    @Override
    public void close() {
        listener.close();
    }
}
