package dev.knet.node;

import java.util.ArrayList;
import java.util.List;

/**
 * How a process gets the pod's view of the node: its volumes and its hostname. argv in, the argv
 * that first sets them up out. The real one gives each container (and each exec) a private mount
 * namespace and UTS namespace; unit tests pass a recording fake, since creating namespaces needs root.
 */
@FunctionalInterface
public interface ContainerMounts {

    /** The command that makes {@code mounts} visible and then execs {@code argv}; argv itself when none. */
    List<String> wrap(List<BindMount> mounts, List<String> argv);

    /**
     * The same with the pod's hostname (spec.hostname, else the pod name), as the kubelet gives
     * every container a UTS namespace of the pod. Fakes that need no root ignore the hostname.
     */
    default List<String> wrap(List<BindMount> mounts, String hostname, List<String> argv) {
        return wrap(mounts, argv);
    }

    /**
     * A private mount namespace per container ({@code unshare --mount}) in which each volume is bind-mounted
     * at its mountPath, then the container's command is exec'd. Private, so the node and the other
     * containers never see this container's mounts, while all containers that mount one emptyDir share
     * its directory. A missing mount point is created as a directory on the node's filesystem (there
     * is no image root filesystem to create it in); an existing file (/etc/resolv.conf) is mounted over.
     * With a hostname, the command also gets its own UTS namespace ({@code unshare --uts}) named so.
     */
    static ContainerMounts privateNamespace() {
        return new ContainerMounts() {
            @Override
            public List<String> wrap(List<BindMount> mounts, List<String> argv) {
                return wrap(mounts, null, argv);
            }

            @Override
            public List<String> wrap(List<BindMount> mounts, String hostname, List<String> argv) {
                if (mounts.isEmpty() && hostname == null) {
                    return argv;
                }
                StringBuilder script = new StringBuilder("set -e\n");
                if (hostname != null) {
                    // the UTS namespace is new, so this names the container alone, never the node
                    script.append("printf %s ").append(quote(hostname)).append(" > /proc/sys/kernel/hostname\n");
                }
                for (BindMount m : mounts) {
                    String target = quote(m.mountPath());
                    script.append("[ -e ").append(target).append(" ] || mkdir -p ").append(target).append('\n');
                    script.append("mount --bind ").append(quote(m.source().toString())).append(' ').append(target)
                            .append('\n');
                    if (m.access() == BindMount.Access.READ_ONLY) {
                        script.append("mount -o remount,bind,ro ").append(target).append('\n');
                    }
                }
                script.append("exec \"$@\"\n");
                List<String> out = new ArrayList<>(List.of("unshare", "--mount"));
                if (hostname != null) {
                    out.add("--uts");
                }
                out.addAll(List.of("--propagation", "private", "sh", "-c", script.toString(), "knet-mounts"));
                out.addAll(argv);
                return out;
            }
        };
    }

    /** POSIX shell single quoting: the only character needing care inside '...' is ' itself. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
