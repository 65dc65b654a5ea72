package dev.knet.node;

import dev.knet.cni.runtime.PluginExec;
import dev.knet.dataplane.Dataplane;
import dev.knet.workloads.pod.NetnsExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The seams of a node agent: the real ones come from {@link NodeAgents#start}; tests pass a fake
 * dataplane, an in-process CNI stub, a same-namespace executor and a scripted prober.
 *
 * @param dataplane     namespaces (and, through the CNI plugin, links and routes)
 * @param cniExec       how CNI plugins run (knet's in-process, others as processes)
 * @param netnsExecutor where built-in workloads create their sockets
 * @param etcNetnsDir   the /etc/netns directory (per-pod resolv.conf and hosts)
 * @param netnsCommand  how a process is started inside a pod namespace
 * @param prober        runs readiness and liveness probes
 * @param resync        how often every pod is reconciled even without an event (also the probe period floor)
 */
public record NodeAgentDeps(Dataplane dataplane, PluginExec cniExec, NetnsExecutor netnsExecutor, Path etcNetnsDir,
                            NetnsCommand netnsCommand, Prober prober, Duration resync) {

    /** Turns argv into the command that runs it inside a namespace. */
    @FunctionalInterface
    public interface NetnsCommand {

        List<String> wrap(String netns, List<String> argv);

        /** The real one: {@code ip netns exec NETNS argv...}. */
        static NetnsCommand ipNetnsExec() {
            return (netns, argv) -> {
                var out = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns));
                out.addAll(argv);
                return out;
            };
        }
    }
}
