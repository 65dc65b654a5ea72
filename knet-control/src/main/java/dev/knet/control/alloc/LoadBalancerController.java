package dev.knet.control.alloc;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.InFlight;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.net.Cidr;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives LoadBalancer Services an address from the pool on the underlay
 * (status.loadBalancer.ingress[].ip), honouring spec.loadBalancerIP when it is in the pool and free.
 * With the pool exhausted a Service stays pending (no ingress) until an address frees. The address
 * goes back when the Service is deleted or stops being a LoadBalancer. Stored statuses are the record.
 */
public final class LoadBalancerController extends Controller {

    private final ClusterCaches caches;
    private final Cidr pool;
    private final Map<String, String> holderOf = new HashMap<>();
    private final Map<String, String> ipOf = new HashMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private final InFlight inFlight = new InFlight();

    public LoadBalancerController(ApiStore store, WriteTracker tracker, ClusterCaches caches, ClusterConfig config) {
        super("loadbalancer-controller", store, tracker);
        this.caches = caches;
        this.pool = config.loadBalancerPool();
        caches.services().addHandler((old, now) -> {
            Service s = now != null ? now : old;
            if (isLb(s) || (old != null && isLb(old)) || ingressIp(s) != null) {
                enqueue(Keys.of(s));
            }
        });
    }

    /** Rebuilds the pool from the stored statuses; call after the caches are synced. */
    @Override
    public void start() {
        for (Service s : caches.services().all()) {
            String ip = ingressIp(s);
            if (isLb(s) && ip != null && pool.contains(ip) && !holderOf.containsKey(ip)) {
                holderOf.put(ip, Keys.of(s));
                ipOf.put(Keys.of(s), ip);
            }
        }
        super.start();
    }

    @Override
    protected void reconcile(String key, Writes writes) {
        Service svc = caches.services().get(key);
        if (svc != null && inFlight.pending(key, svc)) {
            return;
        }
        if (svc == null || !isLb(svc)) {
            release(key);
            pending.remove(key);
            if (svc != null && ingressIp(svc) != null && pool.contains(ingressIp(svc))) {
                writeIngress(svc, null, writes);
            }
            return;
        }
        String have = ingressIp(svc);
        String mine = ipOf.get(key);
        if (have != null && have.equals(mine)) {
            return;
        }
        if (mine == null) {
            mine = choose(svc, have);
        }
        if (mine == null) {
            pending.add(key);
            return;
        }
        pending.remove(key);
        holderOf.put(mine, key);
        ipOf.put(key, mine);
        String ip = mine;
        writeIngress(svc, ip, writes);
    }

    /** The stored address if still free for it, the requested one, or the first free one. */
    private String choose(Service svc, String have) {
        String requested = svc.getSpec().getLoadBalancerIP();
        for (String candidate : new String[] {have, requested}) {
            if (candidate != null && !candidate.isEmpty() && pool.contains(candidate) && !holderOf.containsKey(candidate)) {
                return candidate;
            }
        }
        for (long i = 0; i < pool.size(); i++) {
            String ip = pool.addressStringAt(i);
            if (!holderOf.containsKey(ip)) {
                return ip;
            }
        }
        return null;
    }

    private void release(String key) {
        String ip = ipOf.remove(key);
        if (ip != null) {
            holderOf.remove(ip);
            enqueueAll(List.copyOf(pending));
        }
    }

    private void writeIngress(Service svc, String ip, Writes writes) {
        String key = Keys.of(svc);
        Service next = new Service();
        next.setApiVersion("v1");
        next.setKind("Service");
        next.setMetadata(new ObjectMetaBuilder().withName(svc.getMetadata().getName())
                .withNamespace(svc.getMetadata().getNamespace())
                .withResourceVersion(svc.getMetadata().getResourceVersion()).build());
        ServiceStatus status = svc.getStatus() == null ? new ServiceStatus()
                : dev.knet.model.KnetJson.serialization().clone(svc.getStatus());
        List<LoadBalancerIngress> ingress = new ArrayList<>();
        if (ip != null) {
            LoadBalancerIngress in = new LoadBalancerIngress();
            in.setIp(ip);
            in.setIpMode("VIP");
            ingress.add(in);
        }
        status.setLoadBalancer(new LoadBalancerStatus(ingress));
        next.setStatus(status);
        inFlight.mark(key, svc);
        writes.add(new Mutation.UpdateStatus(next), e -> inFlight.clear(key));
    }

    private static boolean isLb(Service s) {
        return s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType());
    }

    static String ingressIp(Service s) {
        if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null) {
            return null;
        }
        return s.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp)
                .filter(ip -> ip != null && !ip.isEmpty()).findFirst().orElse(null);
    }
}
