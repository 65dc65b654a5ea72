package dev.knet.policy.enforce;

/**
 * How the forward hook recognises a local pod's packets.
 *
 * <p>{@link #INTERFACE} (routed mode, the default): every pod has its own host-side veth and the node routes
 * between them, so the input interface identifies the sending pod and the output interface the receiving one.
 * Interface names cannot be spoofed by a pod.
 *
 * <p>{@link #ADDRESS} (L2 bridge mode): pod veths are ports of a bridge, and same-node traffic is bridged, not
 * routed. The node namespace must set {@code net.bridge.bridge-nf-call-iptables=1} so bridged IPv4 traffic
 * passes the {@code inet} forward hook; there, however, the in/out device is the bridge itself, so pods are
 * recognised by their addresses ({@code ip saddr}/{@code ip daddr}) instead.
 */
public enum PodMatch {
    INTERFACE, ADDRESS;

    /** The expression naming the pod a packet leaves (egress subject) or enters (ingress subject). */
    String subject(boolean egress) {
        return switch (this) {
            case INTERFACE -> egress ? "iifname" : "oifname";
            case ADDRESS -> egress ? "ip saddr" : "ip daddr";
        };
    }

    /** The nft datatype of the subject expression. */
    String type() {
        return switch (this) {
            case INTERFACE -> "ifname";
            case ADDRESS -> "ipv4_addr";
        };
    }
}
