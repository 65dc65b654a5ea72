package dev.knet.control.scheduling;

import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.InFlight;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.PodState;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.LabelSelectors;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Binds pods without spec.nodeName to a node: only Ready, schedulable nodes whose labels match the
 * pod's nodeSelector; of those the one running the fewest pods, ties to the smallest name, so the
 * same state always gives the same choice. Bindings made but not yet seen in the cache count too
 * (the scheduler "assumes" them), or a burst would pile onto one node.
 */
public final class Scheduler extends Controller {

    private final ClusterCaches caches;
    private final InFlight inFlight = new InFlight();
    /** Pods per node as the cache shows them, plus assumed bindings. */
    private final Map<String, Integer> load = new HashMap<>();
    private final Map<String, String> assumed = new HashMap<>();
    private final Map<String, String> boundInCache = new HashMap<>();

    public Scheduler(ApiStore store, WriteTracker tracker, ClusterCaches caches) {
        super("scheduler", store, tracker);
        this.caches = caches;
        caches.pods().addHandler(this::onPod);
        caches.nodes().addHandler((old, now) -> {
            if (now != null && (old == null || !Objects.equals(old.getMetadata().getLabels(), now.getMetadata().getLabels())
                    || !Objects.equals(old.getStatus(), now.getStatus()) || !Objects.equals(old.getSpec(), now.getSpec()))) {
                enqueueAll(caches.pods().all().stream().filter(p -> !PodState.isBound(p)).map(Keys::of).toList());
            }
        });
    }

    private synchronized void onPod(Pod old, Pod now) {
        String key = Keys.of(now != null ? now : old);
        String was = boundInCache.remove(key);
        if (was != null) {
            load.merge(was, -1, Integer::sum);
        }
        if (now != null && PodState.isBound(now) && !PodState.isTerminal(now)) {
            String node = PodState.nodeName(now);
            boundInCache.put(key, node);
            load.merge(node, 1, Integer::sum);
            String a = assumed.remove(key);
            if (a != null) {
                load.merge(a, -1, Integer::sum);
            }
        }
        if (now == null) {
            String a = assumed.remove(key);
            if (a != null) {
                load.merge(a, -1, Integer::sum);
            }
        }
        if (now != null && !PodState.isBound(now) && !PodState.isTerminating(now)) {
            enqueue(key);
        }
    }

    @Override
    protected void reconcile(String key, Writes writes) {
        Pod pod = caches.pods().get(key);
        if (pod == null || PodState.isBound(pod) || PodState.isTerminating(pod) || inFlight.pending(key, pod)) {
            return;
        }
        synchronized (this) {
            if (assumed.containsKey(key)) {
                return;
            }
        }
        Map<String, String> selector = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
        List<Node> fits = caches.nodes().all().stream()
                .filter(Scheduler::schedulable)
                .filter(n -> LabelSelectors.matchesAll(selector, n.getMetadata().getLabels()))
                .toList();
        if (fits.isEmpty()) {
            unschedulable(pod, caches.nodes().size(), writes);
            return;
        }
        String chosen;
        synchronized (this) {
            chosen = fits.stream().min(Comparator.<Node>comparingInt(n -> load.getOrDefault(n.getMetadata().getName(), 0))
                    .thenComparing(n -> n.getMetadata().getName())).orElseThrow().getMetadata().getName();
            assumed.put(key, chosen);
            load.merge(chosen, 1, Integer::sum);
        }
        Pod bound = new Pod();
        bound.setApiVersion("v1");
        bound.setKind("Pod");
        bound.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(pod.getMetadata()).build());
        // A builder copy: far cheaper than a serialisation round trip, and the cached spec stays untouched.
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : new io.fabric8.kubernetes.api.model.PodSpecBuilder(pod.getSpec()).build();
        spec.setNodeName(chosen);
        bound.setSpec(spec);
        inFlight.mark(key, pod);
        writes.add(new Mutation.Update(bound), e -> forget(key));
    }

    private synchronized void forget(String key) {
        inFlight.clear(key);
        String a = assumed.remove(key);
        if (a != null) {
            load.merge(a, -1, Integer::sum);
        }
    }

    private static boolean schedulable(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        return node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void unschedulable(Pod pod, int nodes, Writes writes) {
        String message = "0/" + nodes + " nodes are available: " + nodes
                + " node(s) didn't match Pod's node selector or were not ready.";
        PodStatus status = pod.getStatus() == null ? new PodStatus()
                : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        PodCondition existing = status.getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                .findFirst().orElse(null);
        if (existing != null && message.equals(existing.getMessage())) {
            return;
        }
        status.getConditions().removeIf(c -> "PodScheduled".equals(c.getType()));
        PodCondition c = new PodCondition();
        c.setType("PodScheduled");
        c.setStatus("False");
        c.setReason("Unschedulable");
        c.setMessage(message);
        status.getConditions().add(c);
        if (status.getPhase() == null) {
            status.setPhase("Pending");
        }
        Pod p = new Pod();
        p.setApiVersion("v1");
        p.setKind("Pod");
        p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .withResourceVersion(pod.getMetadata().getResourceVersion()).build());
        p.setStatus(status);
        String key = Keys.of(pod);
        inFlight.mark(key, pod);
        writes.add(new Mutation.UpdateStatus(p), e -> inFlight.clear(key));
    }
}
