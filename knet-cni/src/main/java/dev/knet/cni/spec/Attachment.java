package dev.knet.cni.spec;

/** One entry of GC's {@code cni.dev/valid-attachments}: a container's interface that must be kept. */
public record Attachment(String containerID, String ifname) {
}
