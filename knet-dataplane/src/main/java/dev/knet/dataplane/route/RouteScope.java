package dev.knet.dataplane.route;

import java.util.Locale;

/** Route scope: LINK for destinations directly on the wire (no gateway), GLOBAL otherwise. */
public enum RouteScope {
    GLOBAL, LINK, HOST;

    public String ipName() {
        return this == GLOBAL ? "global" : name().toLowerCase(Locale.ROOT);
    }

    static RouteScope parse(String text) {
        if (text == null) {
            return GLOBAL;
        }
        return switch (text) {
            case "link" -> LINK;
            case "host" -> HOST;
            default -> GLOBAL;
        };
    }
}
