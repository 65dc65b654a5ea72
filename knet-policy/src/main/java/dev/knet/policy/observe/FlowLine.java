package dev.knet.policy.observe;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One observed flow event, explained: what the kernel did ({@code verdict}), between whom, the drop rule that
 * did it (for drops), and what the policy model says about the same flow.
 *
 * @param destination for a flow through a Service, the endpoint the proxy chose
 * @param prefix      the NFLOG prefix of the drop rule, e.g. "knet-drop:3" (empty for forwarded flows)
 * @param reason      the model's reason for its verdict, or why it has none
 * @param via         the address the client asked for when the flow was DNAT'd (a Service), else empty
 */
public record FlowLine(Instant time, String node, Verdict verdict, Peer source, Peer destination, String protocol,
                       String prefix, Optional<DropRuleSite> site, Agreement agreement, String reason,
                       Optional<ServiceHop> via) {

    public enum Verdict { DROPPED, FORWARDED }

    /**
     * Whether the kernel's verdict is the model's: a drop the model would allow, or a forwarded flow it would
     * deny, is a disagreement.
     */
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

    /**
     * The address a DNAT'd flow was sent to: a Service's ClusterIP and port, and the Service when the model
     * knows the address (a NodePort or an address of another proxy has none).
     */
    public record ServiceHop(Optional<String> service, String ip, int port) {

        public ServiceHop {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(ip, "ip");
        }

        /** "svc x/web 10.96.0.10:80", or "10.96.0.10:80" without a known Service. */
        public String display() {
            String address = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
            return service.map(s -> "svc " + s + " " + address).orElse(address);
        }
    }

    public FlowLine {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(via, "via");
    }

    /** A line without a Service hop (every drop: the packet was logged after DNAT). */
    public FlowLine(Instant time, String node, Verdict verdict, Peer source, Peer destination, String protocol,
                    String prefix, Optional<DropRuleSite> site, Agreement agreement, String reason) {
        this(time, node, verdict, source, destination, protocol, prefix, site, agreement, reason, Optional.empty());
    }

    /** Either end is in {@code namespace}. */
    public boolean involves(String namespace) {
        return source.namespace().filter(namespace::equals).isPresent()
                || destination.namespace().filter(namespace::equals).isPresent();
    }
}
