package dev.knet.lab;

import dev.knet.dataplane.CommandResult;
import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.NetnsScope;
import dev.knet.dataplane.netns.NetnsManager;
import dev.knet.node.NodeAgents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes a lab: kills every process left in its namespaces, then deletes every namespace whose
 * name starts with {@code knet-<cluster>-} (pods' included). Idempotent, and usable after a crash:
 * it needs nothing but the cluster name. Deleting the namespaces takes their veths, bridges and
 * routes with them, so no per-device undo is needed.
 */
public final class LabCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(LabCleanup.class);

    private final NetnsManager netns;
    private final CommandRunner runner;
    private final java.nio.file.Path etcNetns;

    /** {@code runner} lists the processes in a namespace; null skips that step (the fakes have none). */
    public LabCleanup(NetnsManager netns, CommandRunner runner) {
        this(netns, runner, java.nio.file.Path.of("/etc/netns"));
    }

    /** @param etcNetns where per-namespace files live (/etc/netns; tests give a temporary folder) */
    public LabCleanup(NetnsManager netns, CommandRunner runner, java.nio.file.Path etcNetns) {
        this.netns = netns;
        this.runner = runner;
        this.etcNetns = etcNetns;
    }

    /** The namespaces that belong to {@code names}' lab. */
    public List<String> namespaces(LabNames names) {
        return netns.list().stream().filter(n -> n.startsWith(names.prefix())).toList();
    }

    /** Returns the namespaces it could not delete (empty on success). */
    public List<String> remove(LabNames names) {
        List<String> left = new ArrayList<>();
        List<String> ours = namespaces(names);
        killProcesses(ours);
        for (String ns : ours) {
            try {
                netns.delete(ns);
                removeEtcDir(ns);
            } catch (DataplaneException e) {
                LOG.warn("cannot delete namespace {}", ns, e);
                left.add(ns);
            }
        }
        return left;
    }

    /**
     * `ip netns exec` bind-mounts /etc/netns/NAME/* (a pod's resolv.conf and hosts); deleting the
     * namespace leaves that folder, so it goes here too, with the files of a node's hostNetwork pods
     * (/etc/netns/.knet-hostnet/NAME). Only folders named like our namespaces.
     */
    private void removeEtcDir(String ns) {
        if (!ns.startsWith("knet-")) {
            return;
        }
        removeTree(etcNetns.resolve(ns));
        removeTree(etcNetns.resolve(NodeAgents.HOST_NETWORK_ETC).resolve(ns));
    }

    private static void removeTree(java.nio.file.Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            LOG.warn("cannot remove {}", dir, e);
        }
    }

    /** Kills every process (but this one) whose network namespace is one of {@code namespaces}. */
    public void killProcesses(List<String> namespaces) {
        namespaces.forEach(this::killProcessesIn);
    }

    private void killProcessesIn(String ns) {
        if (runner == null) {
            return;
        }
        CommandResult pids = runner.tryRun(NetnsScope.admin(), List.of("ip", "netns", "pids", ns));
        if (!pids.succeeded()) {
            return;
        }
        for (String line : pids.stdout().split("\\s+")) {
            if (line.isBlank()) {
                continue;
            }
            long pid = Long.parseLong(line.strip());
            if (pid == ProcessHandle.current().pid()) {
                continue;
            }
            ProcessHandle.of(pid).ifPresent(p -> {
                LOG.info("killing process {} left in {}", pid, ns);
                p.destroyForcibly();
                p.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
            });
        }
    }
}
