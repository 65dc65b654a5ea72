package dev.knet.policy.verify;

import java.util.Objects;

/** What one probe saw, with a short human detail (an errno text, the reason a protocol is unsupported). */
public record ProbeResult(ProbeRequest request, Outcome outcome, String detail) {

    /** The ways a probe ends. Only {@link #CONNECTED} counts as "allowed". */
    public enum Outcome {
        /** TCP/SCTP handshake completed, or the UDP echo came back. */
        CONNECTED,
        /** Actively refused (RST or ICMP port unreachable): the packet got through but nothing listens. */
        REFUSED,
        /** No answer before the timeout: what a policy drop looks like. */
        TIMED_OUT,
        /** This host cannot open such a socket at all (e.g. a kernel without SCTP). */
        UNSUPPORTED,
        /** The probe could not be made (no such namespace, no route, ...). */
        ERROR
    }

    public ProbeResult {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    public boolean connected() {
        return outcome == Outcome.CONNECTED;
    }

    /** Short text for a table cell: "connected", "timeout", "refused", "unsupported", "error". */
    public String word() {
        return switch (outcome) {
            case CONNECTED -> "connected";
            case REFUSED -> "refused";
            case TIMED_OUT -> "timeout";
            case UNSUPPORTED -> "unsupported";
            case ERROR -> "error";
        };
    }
}
