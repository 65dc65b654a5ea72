package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.netlink.NetlinkLinks;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.ProcessCommandRunner;
import dev.knet.model.net.Cidr;
import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import dev.knet.node.SandboxNames;
import dev.knet.store.ApiStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real lab: builds {@link LabNetwork} in network namespaces, keeps node-to-node routing in step
 * with the Node objects (re-listed every {@link #RESYNC}; level-triggered, so nothing is lost to a
 * missed event; only changes are applied, with a full re-apply every {@link #FULL_SYNC_EVERY}
 * rounds), and starts one node agent per node once every node has its podCIDR.
 */
public final class NamespaceLab implements LabRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceLab.class);
    static final Duration RESYNC = Duration.ofSeconds(2);
    /** Every this many rounds the controllers re-apply everything, repairing drift. */
    static final int FULL_SYNC_EVERY = 15;
    static final Duration POD_CIDR_WAIT = Duration.ofSeconds(60);

    private final LabOptions options;
    private final Dataplane dp;
    private final CommandRunner runner;
    private final LabCleanup cleanup;
    private final LabNames names;
    private final Path stateDir;
    private final Function<NodeAgentConfig, Optional<NodeAgent>> agentStarter;
    /** Per node: what its Service proxy needs to know (addresses, pod CIDR, uplink). */
    private final Map<String, dev.knet.agent.services.NodeInfo> nodeInfos = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<NodeAgent> agents = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("knet-lab-routes").daemon().factory());
    private volatile boolean agentsStarted;
    private volatile LabNetwork network;
    private volatile LabAdoption adoption;

    public NamespaceLab(LabOptions options, Dataplane dp, CommandRunner runner, Path stateDir) {
        this(options, dp, runner, stateDir, null);
    }

    /** {@code agentStarter} starts one node agent, or returns empty (logged) when it cannot. */
    public NamespaceLab(LabOptions options, Dataplane dp, CommandRunner runner, Path stateDir,
                        Function<NodeAgentConfig, Optional<NodeAgent>> agentStarter) {
        this.options = options;
        // The real agents also run each node's Service proxy, which needs the node's addresses.
        this.agentStarter = agentStarter != null ? agentStarter
                : config -> NodeAgentLauncher.start(config, nodeInfos.get(config.nodeName()));
        this.dp = dp;
        this.runner = runner;
        this.cleanup = new LabCleanup(dp.netns(), runner);
        this.names = new LabNames(options.clusterName());
        this.stateDir = stateDir;
    }

    /** The running node agent of {@code nodeName}; empty before the agents start or when it did not start. */
    public Optional<NodeAgent> agent(String nodeName) {
        return agents.stream().filter(a -> a.nodeName().equals(nodeName)).findFirst();
    }

    /**
     * The kernel-backed lab; state (CNI caches, agent folders) under {@code stateDir}. Veths (and their
     * BIG TCP limits, which iproute2 before 6.3 cannot set) go over rtnetlink, the rest through iproute2;
     * {@value Dataplane#MODE_ENV}={@code iproute2} makes it all iproute2 (and the lab then without BIG TCP).
     */
    public static NamespaceLab real(LabOptions options, Path stateDir) {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Dataplane ip = Dataplane.real(runner);
        Dataplane dp = Dataplane.iproute2Only() ? ip : ip.withLinks(new NetlinkLinks(ip.links()));
        return new NamespaceLab(options, dp, runner, stateDir);
    }

    public LabNames names() {
        return names;
    }

    /** The topology, once {@link #start} has built it. */
    public LabNetwork network() {
        return network;
    }

    @Override
    public boolean runsPods() {
        return agentsStarted;
    }

    @Override
    public void start(String apiUrl, ApiStore store, ClusterConfig config) throws Exception {
        buildNetwork(config);
        List<PodCidrReconciler> controllers = controllers(config);
        Map<String, String> cidrs = awaitPodCidrs(store, config, controllers);
        startAgents(apiUrl, config, cidrs);
    }

    /**
     * Builds the namespaces and devices only (no store, no agents): the topology tests use this.
     * Namespaces of this cluster that already exist are adopted when they were built with the same
     * shape (a restart: what is missing is put back, the rest, pods included, stays), else removed.
     */
    public LabNetwork buildNetwork(ClusterConfig config) {
        LabShape shape = LabShape.of(options);
        LabAdoption adoption = LabAdoption.decide(shape, LabShape.read(stateDir), cleanup.namespaces(names));
        switch (adoption) {
            case LabAdoption.Fresh fresh -> LOG.debug("building lab {} ({})", options.clusterName(), shape);
            case LabAdoption.Adopt adopt -> {
                LOG.info("adopting lab {} ({}): {} namespaces are still there", options.clusterName(), shape,
                        adopt.namespaces().size());
                // processes of the pods' containers outlive a killed daemon but cannot be re-attached;
                // the node agents start the containers again
                cleanup.killProcesses(adopt.namespaces().stream()
                        .filter(ns -> ns.startsWith(SandboxNames.prefix(options.clusterName()))).toList());
            }
            case LabAdoption.Rebuild rebuild -> {
                LOG.warn("rebuilding lab {} from scratch: removing {} namespaces, {}", options.clusterName(),
                        rebuild.namespaces().size(), rebuild.reason());
                cleanup.remove(names);
                deleteNodeState();
            }
        }
        this.adoption = adoption;
        shape.write(stateDir);
        LabNetwork built = new LabNetwork(dp, names, options.mode(), LabNode.of(config),
                config.clusterCidrs().stream().filter(Cidr::isIpv4).map(Cidr::toString).toList());
        network = built;
        try {
            built.build();
            routeServiceCidr(config, built);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return built;
    }

    /**
     * Lab nodes have no default route, so a node's (or a host-network pod's) own packet to a
     * ClusterIP would fail routing before the Service proxy's DNAT sees it; a real node's default
     * route covers the Service range. This route stands in for it and leads nowhere else: without
     * a DNAT there is no such host on the underlay.
     */
    private void routeServiceCidr(ClusterConfig config, LabNetwork built) {
        if (!config.serviceCidr().isIpv4()) {
            return;
        }
        for (LabNode node : built.nodes()) {
            dp.routes().replace(names.node(node.name()),
                    Route.to(config.serviceCidr().toString()).dev(LabNames.NODE_NIC));
        }
    }

    /** What the last {@link #buildNetwork} found: a fresh build, an adopted lab or a rebuilt one. */
    public LabAdoption adoption() {
        return adoption;
    }

    /** The node agents' state (CNI caches, sandbox owners) describes pods of a removed lab: it goes too. */
    private void deleteNodeState() {
        Path nodes = stateDir.resolve("nodes");
        if (Files.exists(nodes)) {
            try (var walk = Files.walk(nodes)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + nodes, e);
            }
        }
    }

    /** The controllers this mode needs, fed with the Node objects' podCIDRs. */
    public List<PodCidrReconciler> controllers(ClusterConfig config) {
        List<LabNode> nodes = network.nodes();
        int clusterPrefix = config.clusterCidrs().stream().filter(Cidr::isIpv4).findFirst()
                .map(Cidr::prefixLength).orElse(16);
        return switch (options.mode()) {
            case BRIDGE -> List.of(new BridgeGatewayController(dp, names, nodes, clusterPrefix));
            case ROUTED -> options.bgp() && runner != null
                    ? List.of(new BgpSpeakers(runner, names, nodes, stateDir.resolve("bird")))
                    : List.of(new NodeRouteController(dp, names, options.mode(), nodes));
            case VXLAN -> List.of(new NodeRouteController(dp, names, options.mode(), nodes));
            case CLOUD -> List.of(new CloudRouteController(dp, names, nodes));
        };
    }

    private Map<String, String> awaitPodCidrs(ApiStore store, ClusterConfig config, List<PodCidrReconciler> controllers)
            throws InterruptedException {
        CountDownLatch complete = new CountDownLatch(1);
        int expected = config.nodes().size();
        java.util.concurrent.atomic.AtomicLong round = new java.util.concurrent.atomic.AtomicLong();
        resync.scheduleWithFixedDelay(() -> {
            try {
                if (round.incrementAndGet() % FULL_SYNC_EVERY == 0) {
                    controllers.forEach(PodCidrReconciler::forget);
                }
                Map<String, String> cidrs = NodePodCidrs.read(store);
                controllers.forEach(c -> c.reconcile(cidrs));
                if (cidrs.size() >= expected) {
                    complete.countDown();
                }
            } catch (RuntimeException e) {
                // the loop must survive: the next round starts from a fresh list
                LOG.warn("lab route sync failed; retrying in {}", RESYNC, e);
            }
        }, 0, RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        if (!complete.await(POD_CIDR_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("nodes have no podCIDR after " + POD_CIDR_WAIT + ": "
                    + NodePodCidrs.read(store));
        }
        return NodePodCidrs.read(store);
    }

    private void startAgents(String apiUrl, ClusterConfig config, Map<String, String> cidrs) {
        String clusterCidr = config.clusterCidrs().stream().filter(Cidr::isIpv4).findFirst().orElseThrow().toString();
        String dnsIp = config.serviceCidr().addressStringAt(10);
        List<NodeAgent> started = new ArrayList<>();
        for (LabNode node : network.nodes()) {
            Path nodeDir = stateDir.resolve("nodes").resolve(node.name());
            createDirectories(nodeDir);
            String confList = CniConfLists.forNode(network, node, cidrs.get(node.name()), clusterCidr,
                    nodeDir.resolve("ipam"));
            nodeInfos.put(node.name(), new dev.knet.agent.services.NodeInfo(node.name(), List.of(node.ip()),
                    Cidr.parse(cidrs.get(node.name())), Cidr.parse(clusterCidr), LabNames.NODE_NIC));
            // cniBinDir null: the agent runs the knet plugin in process, no executable is needed
            NodeAgentConfig agentConfig = new NodeAgentConfig(options.clusterName(), node.name(),
                    names.node(node.name()), apiUrl, dnsIp, "cluster.local", nodeDir, confList, null);
            agentStarter.apply(agentConfig).ifPresent(started::add);
        }
        agents.addAll(started);
        agentsStarted = !started.isEmpty() && started.size() == network.nodes().size();
        if (!agentsStarted) {
            LOG.warn("{} of {} node agents started: pods are not run by the lab's nodes",
                    started.size(), network.nodes().size());
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public synchronized void close(LabTeardown teardown) {
        resync.shutdownNow();
        try {
            // a sync still running would race the namespace deletes below and log noise
            resync.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NodeAgent agent : agents) {
            try {
                agent.close(); // leaves the pod sandboxes: they go with the namespaces, or stay for adoption
            } catch (RuntimeException e) {
                LOG.warn("stopping the agent of {} failed", agent.nodeName(), e);
            }
        }
        agents.clear();
        agentsStarted = false;
        switch (teardown) {
            case REMOVE_NETWORK -> {
                List<String> left = cleanup.remove(names);
                if (!left.isEmpty()) {
                    LOG.error("lab {} left namespaces behind: {}", options.clusterName(), left);
                }
            }
            case KEEP_NETWORK -> LOG.info("lab {} stopped; its namespaces stay for the next start to adopt",
                    options.clusterName());
        }
    }
}
