package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.netns.NetnsManager;
import dev.knet.dataplane.netns.NetnsNames;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Named namespaces made the way {@code ip netns add} makes them, without its process: an empty file
 * /run/netns/NAME, a fresh platform thread that unshare(CLONE_NEWNET)s and bind-mounts its own
 * namespace (/proc/thread-self/ns/net: /proc/self would name the JVM's main thread) onto the file,
 * then sets lo up through a netlink socket opened right there. That thread never switches back; it
 * ends, and the bind mount keeps the namespace alive. Deleting is {@code ip netns del}'s
 * lazy unmount plus unlink.
 *
 * <p>iproute2 also makes /run/netns a shared mount point once, so namespaces mounted later show up
 * in other mount namespaces; until that has happened, {@code create} lets {@code fallback} (the
 * iproute2 manager) create the namespace and so prepare the directory.
 */
public final class InProcessNetnsManager implements NetnsManager {

    private final NetnsManager fallback;
    private volatile boolean runDirShared;

    public InProcessNetnsManager(NetnsManager fallback) {
        this.fallback = fallback;
    }

    @Override
    public void create(String name) {
        String path = NetnsNames.path(name);
        if (!runDirReady()) {
            fallback.create(name);
            return;
        }
        try {
            Files.createFile(Path.of(path));
        } catch (FileAlreadyExistsException e) {
            throw new DataplaneException(DataplaneException.Kind.EXISTS, "network namespace " + name + " exists");
        } catch (IOException e) {
            throw new DataplaneException(DataplaneException.Kind.IO, "cannot create " + path, List.of(), -1, "", e);
        }
        try {
            onFreshThread(() -> bindNewNamespace(name, path));
        } catch (RuntimeException e) {
            removeFile(name, path, e);
            throw e;
        }
    }

    /** Runs on a thread of its own, which it leaves in the new namespace: the thread ends right after. */
    private static void bindNewNamespace(String name, String path) {
        Libc.Result unshared = Libc.unshare(Libc.CLONE_NEWNET);
        if (unshared.failed()) {
            throw new DataplaneException(Errno.kind(unshared.errno()), "unshare for " + name + " failed: "
                    + Errno.describe(unshared.errno()));
        }
        HostNetnsGuard.requireAwayFromHost(name);
        Libc.Result mounted = Libc.bindMount("/proc/thread-self/ns/net", path);
        if (mounted.failed()) {
            throw new DataplaneException(Errno.kind(mounted.errno()), "bind mount of " + name + " failed: "
                    + Errno.describe(mounted.errno()));
        }
        // a fresh namespace has lo down; nearly everything (ping to self, local sockets) needs it up
        try (RtnlSocket socket = RtnlSocket.adopt(name, RtnlSocket.openHere(name))) {
            socket.call(RtnlRequests.setUp("lo", name));
        }
    }

    @Override
    public void delete(String name) {
        String path = NetnsNames.path(name);
        if (!exists(name)) {
            return;
        }
        removeFile(name, path, null);
    }

    /** Lazy unmount (a namespace still used elsewhere lives on there), then the file. */
    private static void removeFile(String name, String path, RuntimeException pending) {
        Libc.detach(path); // fails harmlessly when nothing is mounted, as in ip netns del
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            DataplaneException failure = new DataplaneException(DataplaneException.Kind.IO,
                    "cannot remove network namespace " + name, List.of(), -1, "", e);
            if (pending == null) {
                throw failure;
            }
            pending.addSuppressed(failure);
        }
    }

    @Override
    public List<String> list() {
        Path dir = Path.of(NetnsNames.RUN_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(NetnsNames::isKnet).sorted().toList();
        } catch (IOException e) {
            throw new DataplaneException(DataplaneException.Kind.IO, "cannot list " + dir, List.of(), -1, "", e);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(Path.of(NetnsNames.path(name)));
    }

    /** Whether /run/netns is a shared mount point; only a positive answer is remembered. */
    private boolean runDirReady() {
        if (!runDirShared) {
            runDirShared = MountInfo.isSharedMountPoint(Path.of("/proc/self/mountinfo"), NetnsNames.RUN_DIR);
        }
        return runDirShared;
    }

    private static void onFreshThread(Runnable task) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("knet-netns-add").unstarted(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataplaneException(DataplaneException.Kind.IO, "interrupted creating a namespace",
                    List.of(), -1, "", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
