package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.netns.NetnsNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * An rtnetlink socket bound to one knet namespace. The socket is created by a short-lived platform
 * thread that has setns()'d into the namespace (a netlink socket acts in the namespace it was
 * created in, whoever uses it later), so requests can then be sent from any thread, virtual ones
 * included. One socket per operation group, never cached: a namespace deleted and re-created under
 * the same name would otherwise be served by a socket into the old one.
 */
final class RtnlSocket implements AutoCloseable {

    static final int RTM_NEWLINK = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int RECV_BUFFER = 32 * 1024;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private final String netns;
    private final int fd;
    private int seq;

    private RtnlSocket(String netns, int fd) {
        this.netns = netns;
        this.fd = fd;
    }

    /** A socket inside {@code netns}; NOT_FOUND when the namespace does not exist. */
    static RtnlSocket open(String netns) {
        return new RtnlSocket(netns, NetlinkSockets.open(netns, Libc.NETLINK_ROUTE));
    }

    /**
     * Opens a socket in the calling thread's current namespace, which must already be the knet
     * namespace {@code netns} (checked against the host's).
     */
    static int openHere(String netns) {
        return NetlinkSockets.openHere(netns, Libc.NETLINK_ROUTE);
    }

    /** Wraps a socket opened with {@link #openHere}; the caller hands over its ownership. */
    static RtnlSocket adopt(String netns, int fd) {
        return new RtnlSocket(NetnsNames.requireKnet(netns), fd);
    }

    /** Sends the request and waits for the kernel's acknowledgement; a refusal is thrown as its kind. */
    void call(NlMessage message) {
        exchange(message, false);
    }

    /** The interface index of {@code name}; NOT_FOUND when there is no such device. */
    int linkIndex(String name) {
        NlMessage get = RtnlRequests.getLink(name, netns);
        return exchange(get, true);
    }

    /** Returns the ifindex of an RTM_NEWLINK reply when asked for one, else 0. */
    private int exchange(NlMessage message, boolean wantIndex) {
        int mySeq = ++seq;
        byte[] bytes = message.bytes(mySeq);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, 0, bytes.length);
            Libc.Result sent = Libc.send(fd, out, bytes.length);
            if (sent.failed()) {
                throw new DataplaneException(DataplaneException.Kind.IO, message.what() + ": send failed: "
                        + Errno.describe(sent.errno()));
            }
            MemorySegment in = arena.allocate(RECV_BUFFER);
            int index = 0;
            while (true) {
                Libc.Result got = Libc.recv(fd, in);
                if (got.failed()) {
                    throw new DataplaneException(DataplaneException.Kind.IO, message.what() + ": recv failed: "
                            + Errno.describe(got.errno()));
                }
                for (long off = 0; off + NlMessage.HEADER <= got.value(); ) {
                    int len = in.get(INT, off);
                    int type = Short.toUnsignedInt(in.get(SHORT, off + 4));
                    int replySeq = in.get(INT, off + 8);
                    if (len < NlMessage.HEADER) {
                        throw new DataplaneException(DataplaneException.Kind.IO, message.what() + ": malformed reply");
                    }
                    if (replySeq == mySeq && type == RTM_NEWLINK && wantIndex) {
                        index = in.get(INT, off + NlMessage.HEADER + 4); // ifinfomsg.ifi_index
                    }
                    if (replySeq == mySeq && type == NLMSG_ERROR) {
                        int error = in.get(INT, off + NlMessage.HEADER);
                        if (error != 0) {
                            throw Errno.exception(message.what(), -error);
                        }
                        return index;
                    }
                    off += (len + 3) & ~3;
                }
            }
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
