package dev.knet.control.kubelet;

import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.InFlight;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.PodState;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.KnetJson;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the node agents when knet runs without a lab: a pod bound to a node that has its
 * address becomes Running and Ready at once, and a terminating pod is removed at once. The lab's
 * real node agents do this work instead, so the control plane starts it only when asked.
 */
public final class SimulatedKubelet extends Controller {

    private static final List<String> CONDITIONS = List.of("PodScheduled", "Initialized", "ContainersReady", "Ready");

    private final ClusterCaches caches;
    private final InFlight inFlight = new InFlight();

    public SimulatedKubelet(ApiStore store, WriteTracker tracker, ClusterCaches caches) {
        super("simulated-kubelet", store, tracker);
        this.caches = caches;
        caches.pods().addHandler((old, now) -> {
            if (now != null && PodState.isBound(now)) {
                enqueue(Keys.of(now));
            }
        });
    }

    @Override
    protected void reconcile(String key, Writes writes) {
        Pod pod = caches.pods().get(key);
        if (pod == null || !PodState.isBound(pod) || inFlight.pending(key, pod)) {
            return;
        }
        if (PodState.isTerminating(pod)) {
            inFlight.mark(key, pod);
            writes.add(new Mutation.Delete(ResourceKinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    Mutation.Grace.IMMEDIATE), e -> inFlight.clear(key));
            return;
        }
        if (PodState.podIp(pod) == null || PodState.isTerminal(pod)
                || ("Running".equals(pod.getStatus().getPhase()) && PodState.isReady(pod))) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        PodStatus status = new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        status.setPhase("Running");
        status.setStartTime(status.getStartTime() == null ? now : status.getStartTime());
        status.getConditions().removeIf(c -> CONDITIONS.contains(c.getType()));
        for (String type : CONDITIONS) {
            PodCondition c = new PodCondition();
            c.setType(type);
            c.setStatus("True");
            c.setLastTransitionTime(now);
            status.getConditions().add(c);
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            ContainerStatus cs = new ContainerStatus();
            cs.setName(c.getName());
            cs.setImage(c.getImage());
            cs.setImageID("");
            cs.setContainerID("knet://" + pod.getMetadata().getUid() + "/" + c.getName());
            cs.setReady(true);
            cs.setStarted(true);
            cs.setRestartCount(0);
            cs.setState(new ContainerStateBuilder().withNewRunning().withStartedAt(now).endRunning().build());
            containers.add(cs);
        }
        status.setContainerStatuses(containers);
        Pod next = new Pod();
        next.setApiVersion("v1");
        next.setKind("Pod");
        next.setMetadata(new ObjectMetaBuilder().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .withResourceVersion(pod.getMetadata().getResourceVersion()).build());
        next.setStatus(status);
        inFlight.mark(key, pod);
        writes.add(new Mutation.UpdateStatus(next), e -> inFlight.clear(key));
    }
}
