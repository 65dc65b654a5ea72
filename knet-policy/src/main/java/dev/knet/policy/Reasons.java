package dev.knet.policy;

import java.util.List;
import java.util.stream.Collectors;

/** Renders decisions as sentences. Only explanations pay for this; the matrix never calls it. */
public final class Reasons {

    public static final String REPLIES = "replies are allowed (connection tracking)";

    private Reasons() {
    }

    /**
     * @param subject the side the direction is evaluated at, e.g. "x/b"
     * @param peer    the other side, e.g. "x/a" or "192.0.2.1"
     */
    public static String direction(Decision d, Direction direction, String subject, String peer, int port,
                                   Protocol protocol) {
        String dir = direction.word();
        if (d == null) {
            return "no " + dir + " policy applies to " + subject + " (outside the cluster)";
        }
        String passed = d.passedBy() == null ? "" : d.passedBy().display() + " passes " + dir + " on to the next tier; ";
        String fromTo = direction == Direction.INGRESS ? "to " + subject + " from " + peer : "from " + subject + " to " + peer;
        return passed + switch (d.tier()) {
            case DEFAULT -> subject + " is not isolated for " + dir + " (no NetworkPolicy selects it"
                    + (d.passedBy() != null && d.passedBy().tier() == Tier.BASELINE ? "" : ", no Baseline rule matches")
                    + "): default allow";
            case NETWORK_POLICY -> d.allowed()
                    ? d.policy().display() + " allows " + dir + " " + fromTo + " (" + d.rule().label() + ", " + peerText(d)
                    + ")"
                    : subject + " is isolated for " + dir + " by " + names(d.isolating()) + ", and no rule allows "
                    + peer + " on " + protocol + "/" + port;
            case ADMIN, BASELINE -> d.policy().display() + " " + verb(d.rule().action()) + " " + dir + " " + fromTo
                    + " (" + d.rule().label() + ", " + peerText(d) + ")"
                    + (d.tier() == Tier.BASELINE ? "; no NetworkPolicy selects " + subject + " for " + dir : "");
        };
    }

    public static String overall(boolean allowed, List<String> directionReasons, List<String> denyingReasons) {
        if (allowed) {
            return "allowed: " + String.join("; ", directionReasons) + "; " + REPLIES;
        }
        return "denied: " + String.join("; ", denyingReasons);
    }

    private static String peerText(Decision d) {
        String ports = d.rule().ports().isEmpty() ? "all ports"
                : d.rule().ports().stream().map(PortMatcher::description).collect(Collectors.joining(", "));
        int index = d.rule().peers().indexOf(d.peer());
        String peer = index < 0 ? "any peer" : "peer " + index + ": " + d.peer().description();
        return peer + ", " + ports;
    }

    private static String verb(Action action) {
        return switch (action) {
            case ACCEPT -> "accepts";
            case DENY -> "denies";
            case PASS -> "passes";
        };
    }

    private static String names(List<CompiledPolicy> policies) {
        return policies.stream().map(p -> p.ref().toString()).collect(Collectors.joining(", "));
    }
}
