package dev.knet.policy;

/**
 * The verdict for one concrete destination (a pod, or an endpoint behind a Service). A decision is
 * null for a side outside the cluster, where no policy applies.
 */
public record EndpointVerdict(String destination, int port, boolean allowed, Decision egress, Decision ingress,
                              String reason) {
}
