package dev.knet.workloads;

/** A built-in workload could not start (bad arguments, a port in use, the namespace gone). */
public final class WorkloadException extends Exception {

    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
