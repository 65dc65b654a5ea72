package dev.knet.dataplane.nft;

import java.util.regex.Pattern;

/** Object names that are safe to put into nft text unquoted (no spaces, braces or semicolons). */
final class NftNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private NftNames() {
    }

    static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid nftables object name \"" + name + "\"");
        }
        return name;
    }
}
