package dev.knet.lab;

import dev.knet.dataplane.netns.NetnsManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One node agent's view of the namespaces: every lab node shares the host's namespace list, but a
 * pod sandbox belongs to the node whose agent made it (the agent records an owner file for each
 * under its state folder). Without this view an agent starting over existing sandboxes would take
 * the other nodes' pods for orphans of its own and remove them.
 */
final class NodeSandboxView implements NetnsManager {

    private final NetnsManager delegate;
    private final String sandboxPrefix;
    private final Path ownerDir;

    /** @param ownerDir the agent's {@code sandboxes} folder, one file per sandbox it created */
    NodeSandboxView(NetnsManager delegate, String sandboxPrefix, Path ownerDir) {
        this.delegate = delegate;
        this.sandboxPrefix = sandboxPrefix;
        this.ownerDir = ownerDir;
    }

    @Override
    public void create(String name) {
        delegate.create(name);
    }

    @Override
    public void delete(String name) {
        delegate.delete(name);
    }

    @Override
    public List<String> list() {
        return delegate.list().stream()
                .filter(n -> !n.startsWith(sandboxPrefix) || Files.exists(ownerDir.resolve(n)))
                .toList();
    }

    @Override
    public boolean exists(String name) {
        return delegate.exists(name);
    }
}
