package dev.knet.control;

import dev.knet.control.alloc.ClusterIpAllocator;
import dev.knet.control.alloc.LoadBalancerController;
import dev.knet.control.alloc.NodePortAllocator;
import dev.knet.control.config.ClusterConfig;
import dev.knet.control.endpoints.EndpointSliceController;
import dev.knet.control.gc.GarbageCollector;
import dev.knet.control.ipam.PodIpam;
import dev.knet.control.kubelet.SimulatedKubelet;
import dev.knet.control.node.NodeController;
import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.ObjectCache;
import dev.knet.control.runtime.StoreProgress;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.scheduling.Scheduler;
import dev.knet.control.workload.DeploymentController;
import dev.knet.store.AdmissionPlugin;
import dev.knet.store.ApiStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The control plane: shared caches over the store, and the controllers that act on them (nodes,
 * scheduler, pod IPAM, deployments, LoadBalancer addresses, EndpointSlices, garbage collection and,
 * without a lab, a simulated kubelet). The Service allocators run inside the store instead, as
 * admission plugins: build the store with {@link #admissionPlugins}.
 *
 * <pre>
 * ApiStore store = DefaultApiStore.builder()...admission(each of ControlPlane.admissionPlugins(config)).build();
 * try (ControlPlane cp = ControlPlane.start(store, config, ControlPlane.Options.simulated())) {
 *     store.apply(deployment);
 *     cp.awaitIdle(Duration.ofSeconds(10));
 * }
 * </pre>
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    /** Whether pods are run by a simulated kubelet (no lab) or by real node agents. */
    public enum Kubelet { SIMULATED, NODE_AGENTS }

    public record Options(Kubelet kubelet) {
        public Options {
            Objects.requireNonNull(kubelet, "kubelet");
        }

        public static Options simulated() {
            return new Options(Kubelet.SIMULATED);
        }

        public static Options withNodeAgents() {
            return new Options(Kubelet.NODE_AGENTS);
        }
    }

    private final ApiStore store;
    private final ClusterCaches caches;
    private final WriteTracker tracker;
    private final StoreProgress progress;
    private final List<Controller> controllers;

    private ControlPlane(ApiStore store, ClusterCaches caches, WriteTracker tracker, StoreProgress progress,
                         List<Controller> controllers) {
        this.store = store;
        this.caches = caches;
        this.tracker = tracker;
        this.progress = progress;
        this.controllers = controllers;
    }

    /** The admission plugins the store must be built with: the ClusterIP and NodePort allocators. */
    public static List<AdmissionPlugin> admissionPlugins(ClusterConfig config) {
        return List.of(new ClusterIpAllocator(config), new NodePortAllocator(config));
    }

    public static ControlPlane start(ApiStore store, ClusterConfig config, Options options) {
        ClusterCaches caches = new ClusterCaches(store);
        WriteTracker tracker = new WriteTracker();
        List<Controller> controllers = new ArrayList<>(List.of(
                new NodeController(store, tracker, caches, config),
                new Scheduler(store, tracker, caches),
                new PodIpam(store, tracker, caches),
                new DeploymentController(store, tracker, caches),
                new LoadBalancerController(store, tracker, caches, config),
                new EndpointSliceController(store, tracker, caches),
                new GarbageCollector(store, tracker, caches)));
        if (options.kubelet() == Kubelet.SIMULATED) {
            controllers.add(new SimulatedKubelet(store, tracker, caches));
        }
        // Handlers are registered: the initial lists reach every controller before any worker runs,
        // so allocators rebuild from the complete stored state.
        StoreProgress progress = new StoreProgress(store);
        progress.start();
        caches.start();
        controllers.forEach(Controller::start);
        LOG.info("control plane for cluster {} started with {} controllers ({} nodes, kubelet {})",
                config.name(), controllers.size(), config.nodes().size(), options.kubelet());
        return new ControlPlane(store, caches, tracker, progress, controllers);
    }

    /**
     * Waits until every change the store holds has reached the caches, every controller's queue is
     * drained and no controller write is in flight, with the store unchanged meanwhile: then the
     * control plane has processed every write made before the call (`knet apply` returns then).
     *
     * @return true when idle, false when the timeout passed first
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (idleNow()) {
                return true;
            }
            LockSupport.parkNanos(500_000);
        }
        return false;
    }

    private boolean idleNow() {
        long version = store.resourceVersion();
        if (progress.deliveredThrough() < version) {
            return false;
        }
        // Caches first: a cache that has seen an event has run its handlers, so the keys they
        // queued are visible to the queue checks that follow.
        for (ObjectCache<?> cache : caches.all()) {
            if (cache.lastSeen() < Math.max(progress.newest(cache.kind()), tracker.newest(cache.kind()))) {
                return false;
            }
        }
        for (Controller c : controllers) {
            if (!c.isIdle()) {
                return false;
            }
        }
        return tracker.inFlight() == 0 && store.resourceVersion() == version;
    }

    public ClusterCaches caches() {
        return caches;
    }

    @Override
    public void close() {
        controllers.forEach(Controller::close);
        caches.close();
        progress.close();
    }
}
