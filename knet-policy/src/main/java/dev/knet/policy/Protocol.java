package dev.knet.policy;

import java.util.Locale;

/** The L4 protocols NetworkPolicy and ClusterNetworkPolicy can name. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** Parses case-insensitively; null or blank means TCP, the API default. */
    public static Protocol parse(String text) {
        if (text == null || text.isBlank()) {
            return TCP;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol \"" + text + "\" (TCP, UDP or SCTP)", e);
        }
    }
}
