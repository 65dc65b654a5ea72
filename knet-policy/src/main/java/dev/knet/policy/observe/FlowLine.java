package dev.knet.policy.observe;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One observed flow event, explained: what the kernel did ({@code verdict}), between whom, the drop rule that
 * did it (for drops), and what the policy model says about the same flow.
 *
 * @param prefix the NFLOG prefix of the drop rule, e.g. "knet-drop:3" (empty for forwarded flows)
 * @param reason the model's reason for its verdict, or why it has none
 */
public record FlowLine(Instant time, String node, Verdict verdict, Peer source, Peer destination, String protocol,
                       String prefix, Optional<DropRuleSite> site, Agreement agreement, String reason) {

    public enum Verdict { DROPPED, FORWARDED }

    /** Whether the kernel's verdict is the model's: a drop the model would allow is a disagreement. */
    public enum Agreement {
        AGREES, DISAGREES,
        /** The model cannot judge the packet: ICMP, or ports lost to a fragment or the copy range. */
        UNKNOWN
    }

    /** One end of the flow: its address, port (-1: none) and the pod at that address, if any. */
    public record Peer(String ip, int port, Optional<String> pod) {

        public Optional<String> namespace() {
            return pod.map(p -> p.substring(0, p.indexOf('/')));
        }

        /** "x/a:42311", "10.0.0.9:53", "[fd00::1]:80", or without ":port" when there is none. */
        public String display() {
            String who = pod.orElse(ip.contains(":") && port >= 0 ? "[" + ip + "]" : ip);
            return port >= 0 ? who + ":" + port : who;
        }
    }

    public FlowLine {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(site, "site");
    }

    /** Either end is in {@code namespace}. */
    public boolean involves(String namespace) {
        return source.namespace().filter(namespace::equals).isPresent()
                || destination.namespace().filter(namespace::equals).isPresent();
    }
}
