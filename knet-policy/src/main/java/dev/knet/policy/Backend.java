package dev.knet.policy;

/** A destination after Service translation: an endpoint pod (id, or -1 outside the pod set) and port. */
public record Backend(int pod, String ip, int port) {
}
