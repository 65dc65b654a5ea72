package dev.knet.dataplane.link;

import java.util.regex.Pattern;

/** Interface names: at most 15 bytes (IFNAMSIZ - 1) and no characters ip would misread. */
public final class LinkNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    private LinkNames() {
    }

    public static String require(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid interface name \"" + name + "\" (1-15 of [A-Za-z0-9_.-])");
        }
        return name;
    }
}
