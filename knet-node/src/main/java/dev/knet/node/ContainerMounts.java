package dev.knet.node;

import java.util.ArrayList;
import java.util.List;

/**
 * How a process container gets its volumes: argv in, the argv that first sets the mounts up out. The
 * real one gives each container a private mount namespace; unit tests pass a recording fake, since
 * creating mount namespaces needs root.
 */
@FunctionalInterface
public interface ContainerMounts {

    /** The command that makes {@code mounts} visible and then execs {@code argv}; argv itself when none. */
    List<String> wrap(List<BindMount> mounts, List<String> argv);

    /**
     * A private mount namespace per container ({@code unshare --mount}) in which each volume is bind-mounted
     * at its mountPath, then the container's command is exec'd. Private, so the node and the other
     * containers never see this container's mounts, while all containers that mount one emptyDir share
     * its directory. The mount point is created on the node's filesystem if it is missing (there is no
     * image root filesystem to create it in).
     */
    static ContainerMounts privateNamespace() {
        return (mounts, argv) -> {
            if (mounts.isEmpty()) {
                return argv;
            }
            StringBuilder script = new StringBuilder("set -e\n");
            for (BindMount m : mounts) {
                String target = quote(m.mountPath());
                script.append("mkdir -p ").append(target).append('\n');
                script.append("mount --bind ").append(quote(m.source().toString())).append(' ').append(target)
                        .append('\n');
                if (m.access() == BindMount.Access.READ_ONLY) {
                    script.append("mount -o remount,bind,ro ").append(target).append('\n');
                }
            }
            script.append("exec \"$@\"\n");
            List<String> out = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                    "sh", "-c", script.toString(), "knet-mounts"));
            out.addAll(argv);
            return out;
        };
    }

    /** POSIX shell single quoting: the only character needing care inside '...' is ' itself. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
