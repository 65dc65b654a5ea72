package dev.knet.dataplane.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last check before an in-process netlink socket is opened or a namespace is bound: the calling
 * thread must not be in the host's network namespace (init's) nor in the one this process started
 * in. Name checks already keep every path under /run/netns/knet-*; this catches what names cannot,
 * such as a setns that silently did not happen or a knet name bind-mounted onto the host namespace.
 */
final class HostNetnsGuard {

    private static final Path THREAD = Path.of("/proc/thread-self/ns/net");
    private static final List<Path> HOST = List.of(Path.of("/proc/1/ns/net"), Path.of("/proc/self/ns/net"));

    private HostNetnsGuard() {
    }

    /** Throws unless the calling thread is in a namespace other than the host's and the process's own. */
    static void requireAwayFromHost(String netns) {
        String here = identity(THREAD).orElseThrow(
                () -> new IllegalStateException("cannot read the calling thread's network namespace"));
        for (Path host : HOST) {
            if (identity(host).filter(here::equals).isPresent()) {
                throw new IllegalStateException("refusing to act: the thread meant for " + netns
                        + " is in the host's network namespace (" + here + ")");
            }
        }
    }

    /** The namespace's identity, e.g. "net:[4026531840]"; empty when the link cannot be read. */
    static Optional<String> identity(Path nsLink) {
        try {
            return Optional.of(Files.readSymbolicLink(nsLink).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
