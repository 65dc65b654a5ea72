package dev.knet.dataplane;

import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.LinkNames;
import dev.knet.dataplane.route.Route;

/**
 * One step of a {@link Batches} run. The set is closed on purpose: these are the steps that make
 * up wiring an interface, and each must mean the same in the kernel and in the fakes.
 */
public sealed interface BatchOp {

    record AddAddress(String dev, LinkAddress address) implements BatchOp {
        public AddAddress {
            LinkNames.require(dev);
        }
    }

    record SetUp(String dev) implements BatchOp {
        public SetUp {
            LinkNames.require(dev);
        }
    }

    record AddRoute(Route route) implements BatchOp {
    }

    record ReplaceRoute(Route route) implements BatchOp {
    }
}
