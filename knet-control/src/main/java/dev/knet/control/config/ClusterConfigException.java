package dev.knet.control.config;

/** A cluster configuration that cannot be read or makes no sense; the message names the source. */
public final class ClusterConfigException extends RuntimeException {

    public ClusterConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
