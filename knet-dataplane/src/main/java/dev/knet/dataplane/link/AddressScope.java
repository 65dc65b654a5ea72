package dev.knet.dataplane.link;

import java.util.Locale;

/** Address scope; LINK keeps an address (such as a link-local gateway) out of source selection for remote peers. */
public enum AddressScope {
    GLOBAL, LINK, HOST;

    public String ipName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AddressScope parse(String text) {
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
