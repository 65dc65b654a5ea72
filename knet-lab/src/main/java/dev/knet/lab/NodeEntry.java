package dev.knet.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.FdbEntry;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Neighbour;
import dev.knet.dataplane.route.Route;

/** One piece of node-to-node state in a node namespace, so controllers can diff what they programmed. */
sealed interface NodeEntry {

    void apply(Dataplane dp, String netns);

    void remove(Dataplane dp, String netns);

    /** A route to another node's podCIDR. */
    record RouteTo(Route route) implements NodeEntry {
        public void apply(Dataplane dp, String netns) {
            dp.routes().replace(netns, route);
        }

        public void remove(Dataplane dp, String netns) {
            dp.routes().delete(netns, route);
        }
    }

    /** VXLAN: the remote VTEP address is at the remote device's MAC (no ARP over the overlay). */
    record Neigh(Neighbour neighbour) implements NodeEntry {
        public void apply(Dataplane dp, String netns) {
            dp.neighbours().replacePermanent(netns, neighbour);
        }

        public void remove(Dataplane dp, String netns) {
            dp.neighbours().delete(netns, neighbour);
        }
    }

    /** VXLAN: frames for the remote device's MAC are sent to the remote node's underlay IP. */
    record Forward(FdbEntry entry) implements NodeEntry {
        public void apply(Dataplane dp, String netns) {
            // append is not idempotent (it adds a second destination), so look first
            if (!dp.fdb().list(netns, entry.dev()).contains(entry)) {
                dp.fdb().append(netns, entry);
            }
        }

        public void remove(Dataplane dp, String netns) {
            dp.fdb().delete(netns, entry);
        }
    }

    /** An address of the node itself: the VXLAN VTEP address, or the bridge-mode gateway on knbr0. */
    record DeviceAddress(String dev, LinkAddress address) implements NodeEntry {
        public void apply(Dataplane dp, String netns) {
            boolean present = dp.links().addresses(netns, dev).stream().anyMatch(a -> a.sameAs(address));
            if (!present) {
                dp.links().addAddress(netns, dev, address);
            }
        }

        public void remove(Dataplane dp, String netns) {
            dp.links().deleteAddress(netns, dev, address);
        }
    }
}
