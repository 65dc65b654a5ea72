package dev.knet.node;

import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The kubelet's graceful termination of a pod being deleted: every running container gets its preStop hook and
 * then SIGTERM, and may run until it exits or the deletion's grace period runs out, when it is killed. Meanwhile
 * the pod stays in the API as terminating, so the EndpointSlice controller publishes it with terminating=true and
 * the Service proxy can drain connections to it. Per-pod state lives in the pod's {@link PodRuntime}; the caller
 * (the pod's reconcile) is never run twice at once for one pod.
 */
final class PodTermination {

    /** The API's default terminationGracePeriodSeconds, for a pod that carries neither grace field. */
    static final long DEFAULT_GRACE_SECONDS = 30;
    private static final Logger LOG = System.getLogger(PodTermination.class.getName());
    private static final Executor HOOKS = r -> Thread.ofVirtual().name("knet-prestop").start(r);
    private final Prober prober;
    private final Consumer<String> requeue;

    /**
     * @param prober  runs exec, httpGet and tcpSocket preStop hooks, as it runs probes of the same shape
     * @param requeue asked to reconcile the pod again when its grace period runs out
     */
    PodTermination(Prober prober, Consumer<String> requeue) {
        this.prober = prober;
        this.requeue = requeue;
    }

    /**
     * Starts the termination of {@code rt} once (later calls only return, or bring the deadline forward); the exit of
     * each container already requeues the pod, and the grace deadline requeues it once more.
     *
     * @return whether the pod may still run: false once every container has exited or the deadline has passed
     */
    boolean proceed(String key, Pod pod, PodRuntime rt, Instant now) {
        long grace = gracePeriodSeconds(pod);
        if (rt.terminationDeadline == null) {
            rt.terminationDeadline = now.plusSeconds(grace);
            if (grace > 0) {
                LOG.log(Level.DEBUG, key + " terminates within " + grace + " s");
                for (ContainerSlot slot : rt.containers.values()) {
                    RunningContainer running = slot.running;
                    if (running != null) {
                        preStop(rt, slot, Duration.ofSeconds(grace)).whenComplete((v, e) -> running.terminate());
                    }
                }
                requeueIn(key, grace);
            }
        } else if (now.plusSeconds(grace).isBefore(rt.terminationDeadline)) {
            // A later delete shortened the grace (the API never lengthens it). As the kubelet does, the shorter grace
            // counts from now, but never past the deadline already set.
            LOG.log(Level.DEBUG, key + ": grace shortened, terminates within " + grace + " s");
            rt.terminationDeadline = now.plusSeconds(grace);
            if (grace > 0) {
                requeueIn(key, grace);
            }
        }
        settle(rt);
        return now.isBefore(rt.terminationDeadline) && rt.containers.values().stream().anyMatch(s -> s.running != null);
    }

    private void requeueIn(String key, long seconds) {
        CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> requeue.accept(key));
    }

    /** The deletion's grace (the API copies it from the spec or the DeleteOptions), else the spec's, else 30 s. */
    static long gracePeriodSeconds(Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (grace == null && pod.getSpec() != null) {
            grace = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return Math.max(0, grace == null ? DEFAULT_GRACE_SECONDS : grace);
    }

    /** Kills what still runs: the grace period is over (or was zero). */
    static void killRemaining(PodRuntime rt) {
        for (ContainerSlot slot : rt.containers.values()) {
            RunningContainer running = slot.running;
            if (running != null) {
                running.kill();
                slot.running = null;
            }
        }
    }

    /** Containers that exited stay exited: a terminating pod's containers are not restarted. */
    private static void settle(PodRuntime rt) {
        for (ContainerSlot slot : rt.containers.values()) {
            RunningContainer running = slot.running;
            if (running != null && running.termination().isDone()) {
                slot.lastExitCode = running.termination().getNow(-1);
                slot.running = null;
                slot.readinessOk = false;
            }
            slot.done = slot.running == null;
        }
    }

    /** Runs the container's preStop hook, bounded by the grace period; a failing hook is logged and SIGTERM follows. */
    private CompletableFuture<Void> preStop(PodRuntime rt, ContainerSlot slot, Duration grace) {
        LifecycleHandler hook = slot.spec.getLifecycle() == null ? null : slot.spec.getLifecycle().getPreStop();
        if (hook == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (hook.getSleep() != null && hook.getSleep().getSeconds() != null) {
            long seconds = Math.min(Math.max(0, hook.getSleep().getSeconds()), grace.toSeconds());
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS));
        }
        if (hook.getExec() == null && hook.getHttpGet() == null && hook.getTcpSocket() == null) {
            return CompletableFuture.completedFuture(null);
        }
        Probe probe = new ProbeBuilder().withExec(hook.getExec()).withHttpGet(hook.getHttpGet())
                .withTcpSocket(hook.getTcpSocket()).withTimeoutSeconds((int) Math.max(1, grace.toSeconds())).build();
        Prober.Target target = new Prober.Target(rt.context.namespace(), rt.context.name(), slot.spec.getName(),
                rt.context.podIp().getHostAddress(), rt.netns, rt.context.sockets());
        return CompletableFuture.runAsync(() -> {
            if (!prober.probe(target, probe)) {
                LOG.log(Level.WARNING, "preStop hook of " + rt.context.namespace() + "/" + rt.context.name() + "/"
                        + slot.spec.getName() + " failed; the container gets SIGTERM all the same");
            }
        }, HOOKS);
    }
}
