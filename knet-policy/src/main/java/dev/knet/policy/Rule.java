package dev.knet.policy;

import java.util.List;

/**
 * One compiled ingress or egress rule. {@code allPeers} stands for an absent or empty from/to;
 * an empty {@code ports} list means every port of every protocol.
 */
public record Rule(int index, String name, Action action, boolean allPeers, List<PeerMatcher> peers,
                   List<PortMatcher> ports) {

    public Rule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    /** "rule 0" or "rule 0 (allow-web)". */
    public String label() {
        return name == null || name.isBlank() ? "rule " + index : "rule " + index + " (" + name + ")";
    }
}
