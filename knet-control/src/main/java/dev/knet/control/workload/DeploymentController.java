package dev.knet.control.workload;

import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.PodState;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.KnetJson;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a Deployment's pods directly (no ReplicaSet objects). Pods carry the pod-template-hash label
 * and are named {@code <deployment>-<hash>-<5 chars>}. Scaling down removes the newest pods first.
 * A changed template surges: the new pods are created at once and an old pod goes for each new pod
 * that is Ready. Creates and deletes not yet seen in the cache are "expected", and a deployment
 * with open expectations waits, so a lagging cache never makes it create a pod twice.
 */
public final class DeploymentController extends Controller {

    public static final String HASH_LABEL = "pod-template-hash";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterCaches caches;
    /** deployment key -> keys of the pods that name it as controller. */
    private final Map<String, Set<String>> owned = new ConcurrentHashMap<>();
    /** deployment key -> pods created or deleted whose event has not arrived. */
    private final Map<String, Set<String>> expected = new ConcurrentHashMap<>();
    private final Map<String, String[]> hashes = new HashMap<>();
    private final Map<String, Long> statusWritten = new HashMap<>();
    private static final long STATUS_INTERVAL_NANOS = 100_000_000L;

    public DeploymentController(ApiStore store, WriteTracker tracker, ClusterCaches caches) {
        super("deployment-controller", store, tracker);
        this.caches = caches;
        caches.deployments().addHandler((old, now) -> enqueue(Keys.of(now != null ? now : old)));
        caches.pods().addHandler(this::onPod);
    }

    private void onPod(Pod old, Pod now) {
        Pod p = now != null ? now : old;
        String podKey = Keys.of(p);
        String owner = ownerKey(p);
        if (owner == null) {
            return;
        }
        if (now == null) {
            owned.getOrDefault(owner, Set.of()).remove(podKey);
        } else {
            owned.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(podKey);
        }
        Set<String> e = expected.get(owner);
        if (e != null && (now == null || old == null || PodState.isTerminating(now))) {
            e.remove(podKey);
        }
        enqueue(owner);
    }

    private static String ownerKey(Pod pod) {
        for (OwnerReference r : pod.getMetadata().getOwnerReferences()) {
            if ("Deployment".equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
                return Keys.of(pod.getMetadata().getNamespace(), r.getName());
            }
        }
        return null;
    }

    @Override
    protected void reconcile(String key, Writes writes) {
        Deployment d = caches.deployments().get(key);
        if (d == null) {
            expected.remove(key);
            hashes.remove(key);
            statusWritten.remove(key);
            return; // the garbage collector removes the pods
        }
        if (!expected.getOrDefault(key, Set.of()).isEmpty() || d.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String hash = hash(key, d);
        List<Pod> current = new ArrayList<>();
        List<Pod> old = new ArrayList<>();
        int total = 0;
        int ready = 0;
        for (String podKey : owned.getOrDefault(key, Set.of())) {
            Pod p = caches.pods().get(podKey);
            if (p == null || PodState.isTerminating(p) || PodState.isTerminal(p) || !ownedBy(p, d)) {
                continue;
            }
            total++;
            ready += PodState.isReady(p) ? 1 : 0;
            (hash.equals(p.getMetadata().getLabels().get(HASH_LABEL)) ? current : old).add(p);
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        Set<String> expect = expected.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        int before = writes.size();
        for (int i = current.size(); i < replicas; i++) {
            Pod pod = newPod(d, hash);
            String podKey = Keys.of(pod);
            expect.add(podKey);
            writes.add(new Mutation.Create(pod), e -> expect.remove(podKey));
        }
        // Newest first: they have done the least work and are the least likely to be Ready.
        Comparator<Pod> newestFirst = Comparator.comparing((Pod p) -> PodState.isReady(p))
                .thenComparing(p -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder())
                .thenComparing(p -> p.getMetadata().getName(), Comparator.reverseOrder());
        current.sort(newestFirst);
        for (int i = 0; i < current.size() - replicas; i++) {
            delete(current.get(i), expect, writes);
        }
        long readyCurrent = current.stream().filter(PodState::isReady).count();
        int keepOld = (int) Math.max(0, replicas - readyCurrent);
        old.sort(newestFirst);
        for (int i = 0; i < old.size() - keepOld; i++) {
            delete(old.get(i), expect, writes);
        }
        if (writes.size() > before) {
            statusWritten.remove(key); // pods change: the status follows once their events are in
            return;
        }
        writeStatus(key, d, total, Math.min(current.size(), replicas), ready, writes);
    }

    private static void delete(Pod pod, Set<String> expect, Writes writes) {
        String podKey = Keys.of(pod);
        expect.add(podKey);
        writes.add(new Mutation.Delete(ResourceKinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                Mutation.Grace.GRACEFUL), e -> expect.remove(podKey));
    }

    private String hash(String key, Deployment d) {
        String generation = String.valueOf(d.getMetadata().getGeneration()) + "/" + d.getMetadata().getUid();
        String[] cached = hashes.get(key);
        if (cached != null && cached[0].equals(generation)) {
            return cached[1];
        }
        String h = TemplateHash.of(d.getSpec().getTemplate());
        hashes.put(key, new String[] {generation, h});
        return h;
    }

    private static boolean ownedBy(Pod p, Deployment d) {
        return p.getMetadata().getOwnerReferences().stream().anyMatch(r -> d.getMetadata().getUid().equals(r.getUid()));
    }

    private static Pod newPod(Deployment d, String hash) {
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        ObjectMeta tm = d.getSpec().getTemplate().getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(d.getMetadata().getNamespace());
        meta.setName(d.getMetadata().getName() + "-" + hash + "-" + suffix());
        Map<String, String> labels = new LinkedHashMap<>(tm == null || tm.getLabels() == null ? Map.of() : tm.getLabels());
        labels.put(HASH_LABEL, hash);
        meta.setLabels(labels);
        if (tm != null && tm.getAnnotations() != null) {
            meta.setAnnotations(new LinkedHashMap<>(tm.getAnnotations()));
        }
        meta.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        pod.setMetadata(meta);
        pod.setSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder(d.getSpec().getTemplate().getSpec()).build());
        return pod;
    }

    private static String suffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(TemplateHash.ALPHABET.charAt(RANDOM.nextInt(TemplateHash.ALPHABET.length())));
        }
        return sb.toString();
    }

    private void writeStatus(String key, Deployment d, int total, int updated, int ready, Writes writes) {
        DeploymentStatus s = new DeploymentStatus();
        s.setObservedGeneration(d.getMetadata().getGeneration());
        s.setReplicas(total);
        s.setUpdatedReplicas(updated);
        s.setReadyReplicas(ready);
        s.setAvailableReplicas(ready);
        s.setUnavailableReplicas(Math.max(0, total - ready));
        DeploymentStatus was = d.getStatus();
        if (was != null && Objects.equals(was.getObservedGeneration(), s.getObservedGeneration())
                && Objects.equals(was.getReplicas(), s.getReplicas())
                && Objects.equals(was.getUpdatedReplicas(), s.getUpdatedReplicas())
                && Objects.equals(was.getReadyReplicas(), s.getReadyReplicas())
                && Objects.equals(was.getAvailableReplicas(), s.getAvailableReplicas())
                && Objects.equals(was.getUnavailableReplicas(), s.getUnavailableReplicas())) {
            return;
        }
        // While pods are starting, their readiness changes one by one: write the status at most
        // every STATUS_INTERVAL per Deployment (each write costs a commit) and once more at the end.
        long now = System.nanoTime();
        Long last = statusWritten.get(key);
        if (last != null && now - last < STATUS_INTERVAL_NANOS) {
            enqueueAfter(key, (STATUS_INTERVAL_NANOS - (now - last)) / 1_000_000 + 1);
            return;
        }
        statusWritten.put(key, now);
        Deployment next = new Deployment();
        next.setApiVersion("apps/v1");
        next.setKind("Deployment");
        next.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(d.getMetadata().getName())
                .withNamespace(d.getMetadata().getNamespace()).build());
        next.setStatus(s);
        writes.add(new Mutation.UpdateStatus(next));
    }
}
