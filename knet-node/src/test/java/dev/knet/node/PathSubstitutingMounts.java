package dev.knet.node;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for mount namespaces that needs no root: each argument naming a mountPath is rewritten to
 * the volume's directory, so a shell command writing to /data really writes into the volume. It also
 * remembers every container's mounts.
 */
final class PathSubstitutingMounts implements ContainerMounts {

    private final List<List<BindMount>> seen = new ArrayList<>();

    synchronized List<List<BindMount>> seen() {
        return List.copyOf(seen);
    }

    @Override
    public synchronized List<String> wrap(List<BindMount> mounts, List<String> argv) {
        seen.add(List.copyOf(mounts));
        List<String> out = new ArrayList<>();
        for (String arg : argv) {
            String rewritten = arg;
            for (BindMount m : mounts) {
                rewritten = rewritten.replace(m.mountPath(), m.source().toString());
            }
            out.add(rewritten);
        }
        return out;
    }
}
