package dev.knet.policy.verify;

import dev.knet.policy.Protocol;

/**
 * One flow to verify: {@code from} (ns/pod) and its network namespace (null when the pod has none known, so it
 * cannot be probed), the destination as the model names it ({@code ns/pod} or {@code svc/ns/name}) and the
 * address a probe connects to.
 */
public record VerifyPair(String from, String fromNetns, String to, String address, int port, Protocol protocol) {

    /** "ns/pod:9080/TCP": the destination with its port, as the matrix columns and the summary name it. */
    public String destination() {
        return to + ":" + port + "/" + protocol;
    }

    /** "ns/a -> ns/b:9080/TCP". */
    public String flow() {
        return from + " -> " + destination();
    }
}
