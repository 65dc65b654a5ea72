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
        return PREFIX + HexFormat.of().formatHex(digest(containerId + "/" + ifName)).substring(0, 11);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /**
     * A stable, locally administered unicast MAC for one end of the pair ("host" or "pod"): set at
     * creation, so ADD need not read it back, and a re-created pod keeps its MAC (no stale ARP).
     */
    public static String mac(PodTarget pod, String end) {
        byte[] d = digest(pod.containerId() + "/" + pod.ifName() + "/" + end);
        return String.format("02:%02x:%02x:%02x:%02x:%02x", d[0], d[1], d[2], d[3], d[4]);
    }

    public static boolean isHostEnd(String linkName) {
        return linkName.startsWith(PREFIX) && linkName.length() == PREFIX.length() + 11;
    }
}
