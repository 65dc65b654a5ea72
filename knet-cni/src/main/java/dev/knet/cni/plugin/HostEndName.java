package dev.knet.cni.plugin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The node-side veth name, {@code knv} + 11 hex digits of SHA-256(containerId/ifName): stable, so
 * DEL finds it without state, and within the 15-byte interface name limit.
 */
public final class HostEndName {

    public static final String PREFIX = "knv";

    private HostEndName() {
    }

    public static String of(String containerId, String ifName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((containerId + "/" + ifName).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    public static boolean isHostEnd(String linkName) {
        return linkName.startsWith(PREFIX) && linkName.length() == PREFIX.length() + 11;
    }
}
