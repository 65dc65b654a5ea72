package dev.knet.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of pod sandboxes. The namespace name carries a hash of namespace/name/uid rather than the
 * pod name itself: pod names can exceed what a netns name may hold, and a re-created pod with the
 * same name (new uid) must not collide with its predecessor's leftover sandbox.
 */
public final class SandboxNames {

    private SandboxNames() {
    }

    /** The prefix of every pod sandbox of {@code cluster}: knet-CLUSTER-p-. */
    public static String prefix(String cluster) {
        return "knet-" + cluster + "-p-";
    }

    public static String podNetns(String cluster, String namespace, String name, String uid) {
        return prefix(cluster) + shortHash(namespace + "/" + name + "/" + uid);
    }

    static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
