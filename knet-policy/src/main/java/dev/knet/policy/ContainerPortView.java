package dev.knet.policy;

/** A container port as named-port resolution needs it. */
public record ContainerPortView(String name, int port, Protocol protocol) {
}
