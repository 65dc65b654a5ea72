package dev.knet.workloads.pod;

/** Whether SCTP sockets can be opened in a pod's namespace. */
public sealed interface SctpSupport {

    record Available() implements SctpSupport {
    }

    record Unavailable(String reason) implements SctpSupport {
    }
}
