package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dataplane.netns.NetnsThread;

import java.util.List;

/**
 * Opens netlink sockets inside knet namespaces. A netlink socket acts in the namespace it was created in,
 * whoever uses it later, so it is created by a short-lived platform thread that has entered the namespace
 * (and checked it is not the host's).
 */
final class NetlinkSockets {

    private NetlinkSockets() {
    }

    /** A socket of {@code protocol} inside {@code netns}; NOT_FOUND when the namespace does not exist. */
    static int open(String netns, int protocol) {
        NetnsNames.requireKnet(netns);
        try {
            return NetnsThread.run(netns, () -> openHere(netns, protocol));
        } catch (DataplaneException | IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new DataplaneException(DataplaneException.Kind.IO, "cannot open a netlink socket in " + netns,
                    List.of(), -1, "", e);
        }
    }

    /**
     * Opens a socket in the calling thread's current namespace, which must already be the knet namespace
     * {@code netns} (checked against the host's).
     */
    static int openHere(String netns, int protocol) {
        HostNetnsGuard.requireAwayFromHost(netns);
        Libc.Result s = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (s.failed()) {
            throw new DataplaneException(DataplaneException.Kind.IO, "cannot open a netlink socket in " + netns
                    + ": " + Errno.describe(s.errno()));
        }
        return (int) s.value();
    }
}
