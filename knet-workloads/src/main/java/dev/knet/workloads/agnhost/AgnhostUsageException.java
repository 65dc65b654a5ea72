package dev.knet.workloads.agnhost;

/** agnhost was given arguments it would reject (unknown flag, bad value, missing host:port). */
public final class AgnhostUsageException extends Exception {

    public AgnhostUsageException(String message) {
        super(message);
    }
}
