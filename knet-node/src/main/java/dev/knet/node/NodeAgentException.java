package dev.knet.node;

/** The node agent could not start or do what was asked of it. */
public final class NodeAgentException extends RuntimeException {

    public NodeAgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
