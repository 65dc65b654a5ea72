package dev.knet.policy.observe;

import dev.knet.dataplane.netlink.NflogSocket;
import dev.knet.dataplane.nflog.NflogSource;

/** Opens the reader of one nflog group in one node namespace; tests give a fake. */
@FunctionalInterface
public interface NflogOpener {

    NflogSource open(String netns, int group);

    /** The kernel's nfnetlink_log, through a socket inside the namespace. */
    static NflogOpener kernel() {
        return NflogSocket::open;
    }
}
