package dev.knet.node;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One probe round over every running container whose period has come: readiness results flip
 * Ready (and requeue the pod for a status write), liveness failures past the threshold stop the
 * container so the next reconcile restarts it (restartCount + 1).
 */
final class ProbeLoop implements Runnable {

    private final Map<String, PodRuntime> pods;
    private final Prober prober;
    private final Consumer<String> requeue;

    ProbeLoop(Map<String, PodRuntime> pods, Prober prober, Consumer<String> requeue) {
        this.pods = pods;
        this.prober = prober;
        this.requeue = requeue;
    }

    @Override
    public void run() {
        Instant now = Instant.now();
        pods.forEach((key, rt) -> {
            for (ContainerSlot slot : rt.containers.values()) {
                try {
                    probe(key, rt, slot, now);
                } catch (RuntimeException e) {
                    System.getLogger(ProbeLoop.class.getName()).log(System.Logger.Level.WARNING,
                            "probe of " + key + "/" + slot.spec.getName() + " failed to run", e);
                }
            }
        });
    }

    private void probe(String key, PodRuntime rt, ContainerSlot slot, Instant now) {
        RunningContainer running = slot.running;
        if (running == null || now.isBefore(slot.nextProbe)) {
            return;
        }
        Probe readiness = slot.spec.getReadinessProbe();
        // the kubelet stops liveness probes of a terminating pod (it is going anyway); readiness goes on
        Probe liveness = rt.terminationDeadline == null ? slot.spec.getLivenessProbe() : null;
        if (readiness == null && liveness == null) {
            return;
        }
        slot.nextProbe = now.plus(period(readiness != null ? readiness : liveness));
        Prober.Target target = new Prober.Target(rt.context.namespace(), rt.context.name(), slot.spec.getName(),
                rt.context.podIp().getHostAddress(), rt.netns, rt.context.sockets());
        if (readiness != null) {
            boolean ok = prober.probe(target, readiness);
            if (ok != slot.readinessOk) {
                slot.readinessOk = ok;
                requeue.accept(key);
            }
        }
        if (liveness != null) {
            if (prober.probe(target, liveness)) {
                slot.livenessFailures = 0;
            } else if (++slot.livenessFailures >= threshold(liveness)) {
                slot.livenessFailures = 0;
                running.stop(); // its termination requeues the pod, whose reconcile restarts it
            }
        }
    }

    private static Duration period(Probe probe) {
        return Duration.ofSeconds(probe.getPeriodSeconds() == null ? 10 : Math.max(1, probe.getPeriodSeconds()));
    }

    private static int threshold(Probe probe) {
        return probe.getFailureThreshold() == null ? 3 : Math.max(1, probe.getFailureThreshold());
    }
}
