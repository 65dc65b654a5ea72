package dev.knet.control.endpoints;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.LabelSelectors;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the EndpointSlices of every Service with a selector: the pods it selects that have an IPv4
 * address, with ready/serving/terminating conditions, node, zone and target, grouped by resolved
 * port list, at most {@value SlicePlanner#MAX_ENDPOINTS} per slice. Slices of Services without a
 * selector are the user's and left alone. ExternalName Services get none.
 *
 * <p>After writing slices for a Service it waits until the slice cache has caught up with those
 * writes before planning that Service again, so a lagging cache never yields duplicate slices.
 */
public final class EndpointSliceController extends Controller {

    public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";
    public static final String LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGER = "endpointslice-controller.knet.dev";
    public static final String LABEL_HEADLESS = "service.kubernetes.io/headless";

    private final ClusterCaches caches;
    private final SelectorIndex index = new SelectorIndex();
    private final Map<String, Set<String>> slicesOf = new ConcurrentHashMap<>();
    private final Map<String, Long> awaiting = new ConcurrentHashMap<>();

    public EndpointSliceController(ApiStore store, WriteTracker tracker, ClusterCaches caches) {
        super("endpointslice-controller", store, tracker);
        this.caches = caches;
        caches.services().addHandler((old, now) -> {
            index.serviceChanged(old, now);
            enqueue(Keys.of(now != null ? now : old));
        });
        caches.pods().addHandler((old, now) -> {
            index.podChanged(old, now);
            Set<String> keys = new HashSet<>();
            if (old != null) {
                keys.addAll(index.servicesFor(old, caches.services()::get));
            }
            if (now != null) {
                keys.addAll(index.servicesFor(now, caches.services()::get));
            }
            enqueueAll(keys);
        });
        caches.slices().addHandler((old, now) -> {
            EndpointSlice s = now != null ? now : old;
            String svc = s.getMetadata().getLabels().get(LABEL_SERVICE_NAME);
            if (svc == null || !MANAGER.equals(s.getMetadata().getLabels().get(LABEL_MANAGED_BY))) {
                return;
            }
            String svcKey = Keys.of(s.getMetadata().getNamespace(), svc);
            if (now == null) {
                slicesOf.getOrDefault(svcKey, Set.of()).remove(Keys.of(s));
            } else {
                slicesOf.computeIfAbsent(svcKey, k -> ConcurrentHashMap.newKeySet()).add(Keys.of(s));
            }
            enqueue(svcKey);
        });
        caches.nodes().addHandler((old, now) -> {
            if (old != null && now != null && !Objects.equals(zone(old), zone(now))) {
                enqueueAll(caches.services().all().stream().map(Keys::of).toList());
            }
        });
    }

    @Override
    protected void reconcile(String key, Writes writes) {
        Long wait = awaiting.get(key);
        if (wait != null) {
            if (caches.slices().applied() < wait) {
                // Our own slice writes are on their way: planning now would duplicate them.
                enqueueAfter(key, 2);
                return;
            }
            awaiting.remove(key, wait);
        }
        Service svc = caches.services().get(key);
        List<EndpointSlice> existing = new ArrayList<>();
        for (String sliceKey : slicesOf.getOrDefault(key, Set.of())) {
            EndpointSlice s = caches.slices().get(sliceKey);
            if (s != null) {
                existing.add(s);
            }
        }
        Map<String, String> selector = svc == null ? null : SelectorIndex.selector(svc);
        if (svc == null || selector == null || "ExternalName".equals(svc.getSpec().getType())) {
            for (EndpointSlice s : existing) {
                writes.add(new Mutation.Delete(ResourceKinds.ENDPOINT_SLICE, s.getMetadata().getNamespace(),
                        s.getMetadata().getName(), Mutation.Grace.IMMEDIATE));
            }
            return;
        }
        List<Pod> pods = new ArrayList<>();
        for (String podKey : index.candidatePods(svc.getMetadata().getNamespace(), selector)) {
            Pod p = caches.pods().get(podKey);
            if (p != null && LabelSelectors.matchesAll(selector, p.getMetadata().getLabels())) {
                pods.add(p);
            }
        }
        var desired = EndpointSliceBuilder.desired(svc, pods, node -> {
            Node n = caches.nodes().get(node);
            return n == null ? null : zone(n);
        });
        Map<String, String> labels = labels(svc);
        Set<String> relabel = new HashSet<>();
        for (EndpointSlice s : existing) {
            if (!labels.equals(s.getMetadata().getLabels())) {
                relabel.add(s.getMetadata().getName());
            }
        }
        SlicePlanner.Plan plan = SlicePlanner.plan(desired, existing, relabel);
        for (SlicePlanner.SliceContent c : plan.writes()) {
            EndpointSlice slice = new EndpointSlice();
            slice.setApiVersion("discovery.k8s.io/v1");
            slice.setKind("EndpointSlice");
            slice.setAddressType("IPv4");
            slice.setPorts(new ArrayList<>(c.ports()));
            slice.setEndpoints(new ArrayList<>(c.endpoints()));
            ObjectMeta meta = new ObjectMeta();
            meta.setNamespace(svc.getMetadata().getNamespace());
            meta.setLabels(labels);
            meta.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                    .withName(svc.getMetadata().getName()).withUid(svc.getMetadata().getUid())
                    .withController(true).withBlockOwnerDeletion(true).build()));
            if (c.existing() == null) {
                meta.setGenerateName(svc.getMetadata().getName() + "-");
                slice.setMetadata(meta);
                writes.add(new Mutation.Create(slice), stored -> await(key, stored), e -> { });
            } else {
                meta.setName(c.existing().getMetadata().getName());
                meta.setResourceVersion(c.existing().getMetadata().getResourceVersion());
                slice.setMetadata(meta);
                writes.add(new Mutation.Update(slice), stored -> await(key, stored), e -> { });
            }
        }
        for (EndpointSlice s : plan.deletes()) {
            writes.add(new Mutation.Delete(ResourceKinds.ENDPOINT_SLICE, s.getMetadata().getNamespace(),
                    s.getMetadata().getName(), Mutation.Grace.IMMEDIATE));
        }
    }

    private void await(String key, io.fabric8.kubernetes.api.model.HasMetadata stored) {
        if (stored != null) {
            awaiting.merge(key, Long.parseLong(stored.getMetadata().getResourceVersion()), Math::max);
        }
    }

    private static Map<String, String> labels(Service svc) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (svc.getMetadata().getLabels() != null) {
            labels.putAll(svc.getMetadata().getLabels());
        }
        labels.put(LABEL_SERVICE_NAME, svc.getMetadata().getName());
        labels.put(LABEL_MANAGED_BY, MANAGER);
        if ("None".equals(svc.getSpec().getClusterIP())) {
            labels.put(LABEL_HEADLESS, "");
        } else {
            labels.remove(LABEL_HEADLESS);
        }
        return labels;
    }

    private static String zone(Node n) {
        return n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(ClusterConfig.LABEL_ZONE);
    }
}
