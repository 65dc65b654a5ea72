package dev.knet.node;

import dev.knet.dataplane.link.Links;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.knet.cni.runtime.PluginExec;
import dev.knet.agent.services.NodeInfo;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.Nftables;
import io.micrometer.core.instrument.MeterRegistry;
import dev.knet.workloads.pod.NetnsExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * @param services      the node's Service proxy, or null for an agent that runs pods only
 * @param mounts        how process containers get their volumes (a private mount namespace each)
 * @param policy        the node's NetworkPolicy enforcement, or null for none
 * @param workers       how many pods are reconciled at once (one pod is never reconciled twice at once)
 */
public record NodeAgentDeps(Dataplane dataplane, PluginExec cniExec, NetnsExecutor netnsExecutor, Path etcNetnsDir,
                            NetnsCommand netnsCommand, Prober prober, Duration resync, NodeServices services,
                            ContainerMounts mounts, NodePolicy policy, int workers) {

    /**
     * Setting a pod up is mostly waiting (namespace, CNI, process start), so a few pods at once hide
     * each other's latency; more would mostly contend for the kernel's network locks.
     */
    public static final int DEFAULT_WORKERS = 8;

    public NodeAgentDeps {
        Objects.requireNonNull(mounts, "mounts");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
    }

    public NodeAgentDeps(Dataplane dataplane, PluginExec cniExec, NetnsExecutor netnsExecutor, Path etcNetnsDir,
                         NetnsCommand netnsCommand, Prober prober, Duration resync, NodeServices services,
                         ContainerMounts mounts, NodePolicy policy) {
        this(dataplane, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync, services, mounts, policy,
                DEFAULT_WORKERS);
    }

    public NodeAgentDeps(Dataplane dataplane, PluginExec cniExec, NetnsExecutor netnsExecutor, Path etcNetnsDir,
                         NetnsCommand netnsCommand, Prober prober, Duration resync) {
        this(dataplane, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync, null,
                ContainerMounts.privateNamespace(), null, DEFAULT_WORKERS);
    }

    /** The same seams plus a Service proxy fed by Service and EndpointSlice informers. */
    public NodeAgentDeps withServices(NodeServices nodeServices) {
        return new NodeAgentDeps(dataplane, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync,
                nodeServices, mounts, policy, workers);
    }

    /** The same seams plus NetworkPolicy enforcement for this node's pods, fed by the agent's watches. */
    public NodeAgentDeps withPolicy(NodePolicy nodePolicy) {
        return new NodeAgentDeps(dataplane, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync,
                services, mounts, nodePolicy, workers);
    }

    /** The same seams with another way of giving containers their volumes (tests: a recording fake). */
    public NodeAgentDeps withMounts(ContainerMounts containerMounts) {
        return new NodeAgentDeps(dataplane, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync,
                services, containerMounts, policy, workers);
    }

    /** The same seams with {@code count} reconcile workers. */
    /** The same seams over another dataplane (the lab: a view of the namespaces that shows only this node's). */
    public NodeAgentDeps withDataplane(Dataplane other) {
        return new NodeAgentDeps(other, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync,
                services, mounts, policy, workers);
    }

    public NodeAgentDeps withWorkers(int count) {
        return new NodeAgentDeps(dataplane, cniExec, netnsExecutor, etcNetnsDir, netnsCommand, prober, resync,
                services, mounts, policy, count);
    }

    /**
     * What the node's Service proxy programs: the node (addresses, pod and cluster CIDRs, uplink)
     * and its nftables (LibNftables or NftCommand in the node namespace; FakeNftables in tests).
     * With {@code nodeNetns} and {@code links} set, the node also answers healthCheckNodePorts,
     * announces the LoadBalancer IPs it owns on the underlay and serves its metrics; without them
     * (unit tests) it programs rules only.
     */
    public record NodeServices(NodeInfo node, Nftables nft, MeterRegistry registry, String nodeNetns, Links links) {

        public NodeServices(NodeInfo node, Nftables nft, MeterRegistry registry) {
            this(node, nft, registry, null, null);
        }

        /** The real wiring: nft command inside the node namespace, metrics kept in memory, rules only. */
        public static NodeServices nftCommand(NodeInfo node, String nodeNetns) {
            return new NodeServices(node, new NftCommand(nodeNetns),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }

        /**
         * A lab or real node: libnftables in-process when the library is there (one transaction costs
         * well under a millisecond, against milliseconds for an nft process), else the nft command;
         * Prometheus metrics; health checks and LoadBalancer announcement in {@code nodeNetns}.
         */
        public static NodeServices node(NodeInfo node, String nodeNetns, Links links) {
            return new NodeServices(node, Nftables.inNamespace(nodeNetns), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    nodeNetns, links);
        }

        /** Whether health checks, announcement and metrics run (they need the node namespace). */
        boolean servesNode() {
            return nodeNetns != null && links != null;
        }
    }

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
