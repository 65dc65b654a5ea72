package dev.knet.node;

import dev.knet.cni.runtime.CniRuntime;
import dev.knet.workloads.net.NettyLoops;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The node agent: a pod informer (this node's pods only) feeds a queue of pod keys that several
 * workers reconcile, so one slow pod setup does not hold up the others; the queue never hands a
 * key to two workers at once, so a pod never has two reconciles at once, and one bad pod costs
 * only its own reconcile (errors are logged and retried on the next resync).
 */
final class RunningNodeAgent implements NodeAgent {

    private static final Logger LOG = System.getLogger(RunningNodeAgent.class.getName());
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration WORKER_STOP = Duration.ofSeconds(10);
    private final NodeAgentConfig config;
    private final KubernetesClient client;
    private final NettyLoops loops;
    private final PodReconciler reconciler;
    private final PodSandboxes sandboxes;
    private final KeyedWorkQueue queue = new KeyedWorkQueue();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("knet-node-timer").daemon().factory());
    private final List<Thread> workers;
    private final SharedIndexInformer<Pod> informer;
    private final NodeAgentDeps.NodeServices servicesWiring;
    /** Replaced by {@link #restartServiceProxy}; null when the agent runs no Service proxy. */
    private volatile ServiceFeeds services;
    private final PolicyFeeds policy;
    private volatile boolean closed;
    private volatile boolean hostIpUnknown = true;

    RunningNodeAgent(NodeAgentConfig config, NodeAgentDeps deps, KubernetesClient client) {
        this.config = config;
        this.client = client;
        this.loops = NettyLoops.start(1);
        this.sandboxes = new PodSandboxes(config, deps.dataplane().netns(), new CniRuntime(
                config.cniBinDir() == null ? List.of() : List.of(config.cniBinDir()),
                config.stateDir().resolve("cni-cache"), deps.cniExec()), deps.etcNetnsDir());
        this.reconciler = new PodReconciler(config, sandboxes,
                new ContainerLauncher(config.stateDir(), deps.netnsCommand(), deps.mounts(), sandboxes.files()),
                new PodApi(client), loops,
                deps.netnsExecutor(), this::enqueue, new PodTermination(deps.prober(), this::enqueue));
        sandboxes.existing().forEach(reconciler::markAdoptable);
        refreshHostIp();
        this.informer = client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName())
                .inform(new Handler(), 0);
        awaitSync();
        removeOrphans();
        this.workers = IntStream.range(0, deps.workers()).mapToObj(i -> Thread.ofPlatform()
                .name("knet-node-" + config.nodeName() + "-" + i).daemon().start(this::work)).toList();
        long resync = deps.resync().toMillis();
        timers.scheduleWithFixedDelay(this::resync, resync, resync, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(new NodeHeartbeat(client, config.nodeName()), 0, HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        ProbeLoop probes = new ProbeLoop(reconciler.pods(), deps.prober(), this::enqueue);
        timers.scheduleWithFixedDelay(() -> Thread.ofVirtual().start(probes), resync, resync, TimeUnit.MILLISECONDS);
        informer.getStore().list().forEach(p -> enqueue(PodReconciler.key(p)));
        this.servicesWiring = deps.services();
        this.services = servicesWiring == null ? null : new ServiceFeeds(client, config.nodeName(), servicesWiring);
        PolicyFeeds enforcement = null;
        try {
            enforcement = deps.policy() == null ? null
                    : new PolicyFeeds(client, config, deps.policy(), deps.dataplane().sysctls());
        } catch (RuntimeException e) {
            close(); // the workers, timers and Service proxy are already running
            throw e;
        }
        this.policy = enforcement;
    }

    @Override
    public String nodeName() {
        return config.nodeName();
    }

    @Override
    public synchronized void restartServiceProxy() {
        ServiceFeeds running = services;
        if (running == null || closed) {
            throw new IllegalStateException("the node agent of " + config.nodeName() + " runs no Service proxy");
        }
        running.stop();
        services = new ServiceFeeds(client, config.nodeName(), servicesWiring);
        LOG.log(Level.INFO, "restarted the Service proxy of " + config.nodeName());
    }

    /** The node's policy enforcement, or null when the agent was started without one. */
    PolicyFeeds policy() {
        return policy;
    }

    /** The running pod's runtime, for exec. */
    PodRuntime runtime(String namespace, String name) {
        return reconciler.pods().get(namespace + "/" + name);
    }

    /** The node's InternalIP becomes the pods' hostIP; the Node object may appear after the agent starts. */
    private void refreshHostIp() {
        try {
            Node node = client.nodes().withName(config.nodeName()).get();
            if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
                return;
            }
            node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType())).findFirst()
                    .ifPresent(a -> {
                        reconciler.hostIp(a.getAddress());
                        hostIpUnknown = false;
                    });
        } catch (KubernetesClientException e) {
            LOG.log(Level.DEBUG, "cannot read node " + config.nodeName(), e);
        }
    }

    private void awaitSync() {
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        while (!informer.hasSynced()) {
            if (System.nanoTime() > deadline) {
                throw new NodeAgentException("pod informer of " + config.nodeName() + " did not sync from "
                        + config.apiUrl(), null);
            }
            try {
                Thread.sleep(20); // no callback for "synced" in the informer API; a short poll at start only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeAgentException("interrupted while syncing", e);
            }
        }
    }

    /** Sandboxes whose pod is gone (deleted while the agent was down) are removed; the others get adopted. */
    private void removeOrphans() {
        Set<String> wanted = new HashSet<>();
        for (Pod p : informer.getStore().list()) {
            wanted.add(sandboxes.netnsName(p));
        }
        for (String netns : sandboxes.existing()) {
            if (!wanted.contains(netns)) {
                try {
                    sandboxes.destroyOrphan(netns);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove orphan sandbox " + netns, e);
                }
            }
        }
    }

    private void enqueue(String key) {
        if (!closed) {
            queue.add(key);
        }
    }

    private void resync() {
        if (hostIpUnknown) {
            refreshHostIp();
        }
        informer.getStore().listKeys().forEach(this::enqueue);
        reconciler.pods().keySet().forEach(this::enqueue);
    }

    private void work() {
        while (!closed) {
            String key;
            try {
                key = queue.take().orElse(null);
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                reconciler.reconcile(key, informer.getStore().getByKey(key));
            } catch (RuntimeException e) {
                // one bad pod must not stop the agent: the next resync tries again
                LOG.log(Level.WARNING, "reconcile of pod " + key + " failed: " + e.getMessage(), e);
            } finally {
                queue.done(key);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) { // not while a restart of the Service proxy replaces it
            closed = true;
        }
        if (services != null) {
            services.close(); // leaves the node's Service rules in place, as kube-proxy does on exit
        }
        if (policy != null) {
            policy.close(); // leaves the policy table in place: removing it would open every isolated pod
        }
        informer.close();
        timers.shutdownNow();
        queue.shutDown();
        long deadline = System.nanoTime() + WORKER_STOP.toNanos();
        workers.forEach(Thread::interrupt); // a reconcile in progress ends early; the restarted agent adopts
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // sandboxes stay: a restarted agent adopts them
        reconciler.pods().values().forEach(PodReconciler::stopContainers);
        loops.close();
        client.close();
    }

    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            enqueue(PodReconciler.key(pod));
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            enqueue(PodReconciler.key(newPod));
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            enqueue(PodReconciler.key(pod));
        }
    }
}
