package dev.knet.policy;

/** One port clause of a compiled rule. */
public sealed interface PortMatcher {

    String description();

    /** Ports from..to of one protocol; a clause with only a protocol is 1..65535. */
    record Range(Protocol protocol, int from, int to) implements PortMatcher {
        @Override
        public String description() {
            if (from <= 1 && to >= 65535) {
                return protocol + "/any";
            }
            return protocol + "/" + (from == to ? String.valueOf(from) : from + "-" + to);
        }
    }

    /**
     * A container port name, resolved on the destination pod. A null protocol (ClusterNetworkPolicy
     * destinationNamedPort) takes the container port's own protocol.
     */
    record Named(Protocol protocol, String name) implements PortMatcher {
        @Override
        public String description() {
            return (protocol == null ? "" : protocol + "/") + name;
        }
    }
}
