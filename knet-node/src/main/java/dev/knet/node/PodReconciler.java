package dev.knet.node;

import dev.knet.dns.resolv.PodHosts;
import dev.knet.workloads.net.NettyLoops;
import dev.knet.workloads.pod.DnsPodResolver;
import dev.knet.workloads.pod.NetnsExecutor;
import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.PodSockets;
import dev.knet.workloads.pod.ResolvConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Brings one pod key to its desired state: sandbox, containers, restarts, status, deletion. The
 * agent's workers call it for different keys at once but never twice for one key at once, so
 * per-pod state needs no locking against itself; state shared across pods is in concurrent maps.
 */
final class PodReconciler {

    private static final Logger LOG = System.getLogger(PodReconciler.class.getName());
    private final NodeAgentConfig config;
    private final PodSandboxes sandboxes;
    private final ContainerLauncher launcher;
    private final PodApi api;
    private final NettyLoops loops;
    private final NetnsExecutor netnsExecutor;
    private final Consumer<String> requeue;
    private final PodTermination termination;
    private final Map<String, PodRuntime> pods = new ConcurrentHashMap<>();
    /** Sandboxes found at start; a pod whose namespace is here is adopted (CHECK) rather than created. */
    private final Set<String> adoptable = ConcurrentHashMap.newKeySet();
    /** Pods whose final removal was asked for; the API removes them, the informer then forgets them. */
    private final Map<String, String> finalDeletes = new ConcurrentHashMap<>();
    private volatile String hostIp;

    PodReconciler(NodeAgentConfig config, PodSandboxes sandboxes, ContainerLauncher launcher, PodApi api,
                  NettyLoops loops, NetnsExecutor netnsExecutor, Consumer<String> requeue, PodTermination termination) {
        this.config = config;
        this.sandboxes = sandboxes;
        this.launcher = launcher;
        this.api = api;
        this.loops = loops;
        this.netnsExecutor = netnsExecutor;
        this.requeue = requeue;
        this.termination = termination;
    }

    Map<String, PodRuntime> pods() {
        return pods;
    }

    void hostIp(String ip) {
        this.hostIp = ip;
    }

    void markAdoptable(String netns) {
        adoptable.add(netns);
    }

    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** {@code pod} is the informer's current object for {@code key}, or null when it is gone. */
    void reconcile(String key, Pod pod) {
        PodRuntime rt = pods.get(key);
        boolean ours = pod != null && pod.getSpec() != null && config.nodeName().equals(pod.getSpec().getNodeName());
        if (rt != null && (!ours || !rt.uid.equals(pod.getMetadata().getUid()))) {
            teardown(key, rt);
            rt = null;
        }
        if (pod == null) {
            finalDeletes.remove(key);
        }
        if (!ours) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (rt != null && termination.proceed(key, pod, rt, Instant.now())) {
                writeStatus(key, pod, rt); // e.g. Ready=False once a container has stopped or fails readiness
                return;
            }
            String netns = sandboxes.netnsName(pod);
            if (rt != null) {
                PodTermination.killRemaining(rt);
                teardown(key, rt);
            } else if (sandboxes.existing().contains(netns)) {
                sandboxes.destroy(pod.getMetadata().getUid(), podIp(pod), netns);
            }
            String uid = pod.getMetadata().getUid();
            if (!uid.equals(finalDeletes.put(key, uid))) { // once per pod, not on every resync
                try {
                    api.deleteNow(pod);
                } catch (RuntimeException e) {
                    finalDeletes.remove(key);
                    throw e;
                }
            }
            return;
        }
        if (terminal(pod) && (rt == null || rt.containers.values().stream().anyMatch(s -> s.running != null))) {
            // A terminal phase someone else wrote (an eviction) stops the pod, and a pod that ended never runs again
            // (e.g. a completed one after an agent restart); the status stays as written.
            if (rt != null) {
                teardown(key, rt);
            }
            return;
        }
        String podIp = hostNetwork(pod) && hostIp != null ? hostIp : podIp(pod);
        if ((podIp == null || podIp.isBlank()) && (hostNetwork(pod) || sandboxes.needsPodIp())) {
            return; // the control plane's IPAM has not chosen an address yet
        }
        if (rt == null) {
            rt = setup(key, pod, podIp == null || podIp.isBlank() ? null : podIp);
        }
        pod = annotate(pod, rt.netns);
        for (ContainerSlot slot : rt.containers.values()) {
            drive(pod, rt, slot);
        }
        writeStatus(key, pod, rt);
    }

    /** Writes the pod's status when it changed, unless {@code pod} is the copy our last write replaced. */
    private void writeStatus(String key, Pod pod, PodRuntime rt) {
        PodStatus status = PodStatuses.build(pod, rt, hostIp, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String signature = PodStatuses.signature(status);
        String version = pod.getMetadata().getResourceVersion();
        if (signature.equals(PodStatuses.signature(pod.getStatus()))
                || version != null && version.equals(rt.statusWrittenOver)) {
            return;
        }
        if (api.writeStatus(pod, status)) {
            rt.statusWrittenOver = version;
        } else {
            requeue.accept(key);
        }
    }

    /** {@code requestedIp} is null when the conflist's IPAM chooses the address. */
    private PodRuntime setup(String key, Pod pod, String requestedIp) {
        String netns = hostNetwork(pod) ? config.nodeNetns() : sandboxes.netnsName(pod);
        String podIp = requestedIp;
        if (hostNetwork(pod)) {
            LOG.log(Level.DEBUG, key + " uses the node's network: no sandbox");
            sandboxes.files().write(pod, netns, config.clusterDnsIp(), sandboxes.zone());
        } else if (adoptable.remove(netns)) {
            try {
                podIp = sandboxes.check(pod, netns);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "adopted sandbox " + netns + " of " + key + " failed CHECK, re-creating", e);
                sandboxes.destroy(pod.getMetadata().getUid(), podIp(pod), netns);
                podIp = sandboxes.create(pod, netns, requestedIp);
            }
        } else {
            podIp = sandboxes.create(pod, netns, requestedIp);
        }
        PodContext ctx = context(pod, podIp, netns);
        PodRuntime rt = new PodRuntime(pod.getMetadata().getUid(), netns, ctx);
        for (Container c : pod.getSpec().getContainers()) {
            rt.containers.put(c.getName(), new ContainerSlot(c));
        }
        pods.put(key, rt);
        return rt;
    }

    /**
     * Annotates the pod with its namespace; returns the newest object, so that the status write of
     * the same reconcile is not refused as a conflict and left to a retry behind every other queued pod.
     */
    private Pod annotate(Pod pod, String netns) {
        String annotated = Optional.ofNullable(pod.getMetadata().getAnnotations())
                .map(a -> a.get(PodApi.NETNS_ANNOTATION)).orElse(null);
        return netns.equals(annotated) ? pod : api.annotateNetns(pod, netns);
    }

    private PodContext context(Pod pod, String podIp, String netns) {
        PodSockets sockets = new PodSockets(netns, netnsExecutor, loops);
        ResolvConfig resolv;
        try {
            resolv = ResolvConfig.parse(Files.readString(sandboxes.files().dir(pod, netns).resolve("resolv.conf")));
        } catch (IOException e) {
            resolv = new ResolvConfig(List.of(), List.of(), ResolvConfig.DEFAULT_NDOTS);
        }
        String hostname = PodHosts.hostname(pod, config.nodeName());
        return PodContext.of(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), hostname,
                InetAddress.ofLiteral(podIp), netns, sockets, new DnsPodResolver(resolv, sockets), Map.of());
    }

    /** Starts a container that should run, and restarts one that ended per the pod's restartPolicy. */
    private void drive(Pod pod, PodRuntime rt, ContainerSlot slot) {
        if (slot.done) {
            return;
        }
        RunningContainer running = slot.running;
        if (running != null) {
            if (!running.termination().isDone()) {
                return;
            }
            slot.lastExitCode = running.termination().getNow(-1);
            slot.running = null;
            slot.readinessOk = false;
            String policy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
            boolean restart = switch (policy) {
                case "Never" -> false;
                case "OnFailure" -> slot.lastExitCode != 0;
                default -> true;
            };
            if (!restart) {
                slot.done = true;
                return;
            }
            slot.restartNotBefore = Instant.now().plus(ContainerSlot.backoff(slot.restartCount));
        }
        if (Instant.now().isBefore(slot.restartNotBefore)) {
            slot.waitingReason = "CrashLoopBackOff";
            slot.waitingMessage = "back-off restarting failed container " + slot.spec.getName();
            return; // the periodic resync comes back after the back-off
        }
        if (slot.startedAt != null && slot.running == null && !slot.done && slot.lastExitCode != null) {
            slot.restartCount++;
        }
        ContainerLauncher.Launch launch = launcher.launch(pod, slot.spec, rt.context);
        String key = key(pod);
        switch (launch) {
            case ContainerLauncher.Launch.Started started -> {
                slot.running = started.container();
                slot.description = started.description();
                slot.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                slot.livenessFailures = 0;
                slot.nextProbe = Instant.now().plus(slot.initialProbeDelay());
                slot.waitingReason = null;
                slot.waitingMessage = null;
                started.container().termination().whenComplete((code, error) -> requeue.accept(key));
            }
            case ContainerLauncher.Launch.Failed failed -> {
                slot.waitingReason = failed.reason();
                slot.waitingMessage = failed.message();
                slot.done = "InvalidImageName".equals(failed.reason()) && slot.lastExitCode == null;
                if (slot.done) {
                    slot.lastExitCode = null; // stays waiting: an invalid image never runs
                }
            }
        }
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private static boolean hostNetwork(Pod pod) {
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    }

    private static String podIp(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    }

    /** Stops the containers and removes the sandbox of a pod that is gone or being deleted. */
    void teardown(String key, PodRuntime rt) {
        pods.remove(key);
        stopContainers(rt);
        if (!rt.netns.equals(config.nodeNetns())) { // a hostNetwork pod has no sandbox of its own
            sandboxes.destroy(rt.uid, rt.context.podIp().getHostAddress(), rt.netns);
        } else {
            sandboxes.files().removeHostNetwork(rt.netns, rt.uid);
        }
        PodSandboxes.deleteTree(ContainerLauncher.volumeRoot(config.stateDir(), rt.uid));
    }

    static void stopContainers(PodRuntime rt) {
        for (ContainerSlot slot : rt.containers.values()) {
            RunningContainer running = slot.running;
            if (running != null) {
                running.stop();
                slot.running = null;
            }
        }
    }
}
