package dev.knet.policy.matrix;

import dev.knet.policy.Protocol;

/** One cell of the connectivity matrix: FROM pod, TO pod ("ns/name"), port, protocol, verdict, why. */
public record MatrixRow(String from, String to, int port, Protocol protocol, boolean allowed, String reason) {
}
