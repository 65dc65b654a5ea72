package dev.knet.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One directory of the node made visible at a path inside a container: an emptyDir (or its subPath)
 * bind-mounted at the volumeMount's mountPath.
 *
 * @param source    the directory on the node (under the agent's state folder)
 * @param mountPath where the container sees it (absolute, as in the pod spec)
 * @param access    whether the container may write through it
 */
public record BindMount(Path source, String mountPath, Access access) {

    /** How the container may use the mount. */
    public enum Access { READ_WRITE, READ_ONLY }

    public BindMount {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mountPath, "mountPath");
        Objects.requireNonNull(access, "access");
        if (!mountPath.startsWith("/") || mountPath.equals("/")
                || List.of(mountPath.split("/")).contains("..")) {
            throw new IllegalArgumentException("mountPath must be absolute, not / and without ..: " + mountPath);
        }
    }

}
