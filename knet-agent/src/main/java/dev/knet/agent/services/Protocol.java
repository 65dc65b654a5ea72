package dev.knet.agent.services;

import java.util.Locale;

/** Service port protocols; the text is nft's inet_proto name. */
public enum Protocol {
    TCP, UDP, SCTP;

    public String nft() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Kubernetes spelling ("TCP"); null means the API default, TCP. */
    public static Protocol parse(String text) {
        return text == null || text.isBlank() ? TCP : valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
