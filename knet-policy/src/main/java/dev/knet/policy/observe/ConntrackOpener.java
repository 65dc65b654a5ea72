package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackSource;
import dev.knet.dataplane.netlink.ConntrackEvents;

/** Opens the reader of conntrack's new-connection events in one node namespace; tests give a fake. */
@FunctionalInterface
public interface ConntrackOpener {

    /** Throws, saying why, when the namespace has no conntrack events to give. */
    ConntrackSource open(String netns);

    /** The kernel's ctnetlink, through a socket inside the namespace. */
    static ConntrackOpener kernel() {
        return ConntrackEvents::open;
    }
}
