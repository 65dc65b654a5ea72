package dev.knet.control.ipam;

import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.InFlight;
import dev.knet.control.runtime.Keys;
import dev.knet.control.runtime.PodState;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.KnetJson;
import dev.knet.model.net.Cidr;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gives pods bound to a node an address from that node's pod CIDR (status.podIP/podIPs, and the
 * node's InternalIP as status.hostIP). The stored pods are the record: at start the allocation is
 * rebuilt from them before anything new is handed out, and an address counts as taken only once
 * the write carrying it is durable, so neither a restart nor a crash can hand one address to two
 * live pods. A full CIDR is written to the pod's status, and the pod is retried when an address frees.
 */
public final class PodIpam extends Controller {

    private static final Logger LOG = LoggerFactory.getLogger(PodIpam.class);
    public static final String CONDITION = "knet.dev/PodIPAssigned";
    public static final String REASON_EXHAUSTED = "IPAllocationFailed";

    private final ClusterCaches caches;
    private final Map<String, List<PodCidrAllocator>> byNode = new HashMap<>();
    private final Map<String, String> nodeOfOwner = new HashMap<>();
    private final Map<String, Set<String>> starved = new HashMap<>();
    private final InFlight inFlight = new InFlight();

    public PodIpam(ApiStore store, WriteTracker tracker, ClusterCaches caches) {
        super("pod-ipam", store, tracker);
        this.caches = caches;
        caches.pods().addHandler((old, now) -> {
            Pod p = now != null ? now : old;
            if (now == null || PodState.isBound(now)) {
                enqueue(Keys.of(p));
            }
        });
        caches.nodes().addHandler((old, now) -> {
            if (now != null && (old == null || !!java.util.Objects.equals(now.getSpec(), old.getSpec()) || !java.util.Objects.equals(now.getStatus(), old.getStatus()))) {
                String node = now.getMetadata().getName();
                caches.pods().all().stream().filter(p -> node.equals(PodState.nodeName(p)) && PodState.podIp(p) == null)
                        .forEach(p -> enqueue(Keys.of(p)));
            }
        });
    }

    /** Rebuilds the allocation from the cached pods; call after the caches are synced, before start. */
    @Override
    public void start() {
        int n = 0;
        for (Pod pod : caches.pods().all()) {
            String ip = PodState.podIp(pod);
            if (ip == null || !PodState.isBound(pod) || PodState.isHostNetwork(pod)) {
                continue;
            }
            List<PodCidrAllocator> allocators = allocators(PodState.nodeName(pod));
            for (String addr : addresses(pod)) {
                for (PodCidrAllocator a : allocators) {
                    if (a.cidr().contains(addr) && a.reserve(Keys.of(pod), addr) == PodCidrAllocator.Reservation.TAKEN) {
                        LOG.warn("pod {} holds {} which another pod holds too; it gets a new address", Keys.of(pod), addr);
                    }
                }
            }
            nodeOfOwner.put(Keys.of(pod), PodState.nodeName(pod));
            n++;
        }
        LOG.info("pod IPAM rebuilt from {} pods", n);
        super.start();
    }

    @Override
    protected void reconcile(String key, Writes writes) {
        Pod pod = caches.pods().get(key);
        String previousNode = nodeOfOwner.get(key);
        if (pod == null || (previousNode != null && !previousNode.equals(PodState.nodeName(pod)))) {
            release(key, previousNode);
            if (pod == null) {
                inFlight.clear(key);
                return;
            }
        }
        if (!PodState.isBound(pod) || inFlight.pending(key, pod)) {
            return;
        }
        Node node = caches.nodes().get(PodState.nodeName(pod));
        if (node == null) {
            return;
        }
        String hostIp = internalIp(node);
        if (PodState.isHostNetwork(pod)) {
            if (hostIp != null && !hostIp.equals(PodState.podIp(pod))) {
                write(pod, List.of(hostIp), hostIp, writes, List.of());
            }
            return;
        }
        List<PodCidrAllocator> allocators = allocators(node.getMetadata().getName());
        if (allocators.isEmpty()) {
            return; // the node has no pod CIDR yet; its update re-queues this pod
        }
        List<String> have = addresses(pod);
        if (!have.isEmpty() && allOwned(key, have, allocators)) {
            nodeOfOwner.put(key, node.getMetadata().getName());
            if (hostIp != null && !hostIp.equals(pod.getStatus().getHostIP())) {
                write(pod, have, hostIp, writes, List.of());
            }
            return;
        }
        List<String> ips = new ArrayList<>();
        List<PodCidrAllocator> fresh = new ArrayList<>();
        for (PodCidrAllocator a : allocators) {
            boolean had = a.addressOf(key).isPresent();
            Optional<String> ip = a.allocate(key);
            if (ip.isEmpty()) {
                fresh.forEach(f -> f.release(key));
                exhausted(pod, a.exhaustedMessage(key), writes);
                starved.computeIfAbsent(node.getMetadata().getName(), n -> new HashSet<>()).add(key);
                return;
            }
            if (!had) {
                fresh.add(a);
            }
            ips.add(ip.get());
        }
        nodeOfOwner.put(key, node.getMetadata().getName());
        write(pod, ips, hostIp, writes, fresh);
    }

    private boolean allOwned(String key, List<String> have, List<PodCidrAllocator> allocators) {
        for (String ip : have) {
            for (PodCidrAllocator a : allocators) {
                if (a.cidr().contains(ip)) {
                    // The stored address wins when it is free: it is what the node agent already uses.
                    Optional<String> mine = a.addressOf(key);
                    if (!(mine.isPresent() && mine.get().equals(ip))
                            && a.reserve(key, ip) != PodCidrAllocator.Reservation.RESERVED) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void write(Pod pod, List<String> ips, String hostIp, Writes writes, List<PodCidrAllocator> fresh) {
        String key = Keys.of(pod);
        PodStatus status = pod.getStatus() == null ? new PodStatus() : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        status.setPodIP(ips.getFirst());
        status.setPodIPs(ips.stream().map(PodIP::new).toList());
        status.setHostIP(hostIp);
        status.setHostIPs(hostIp == null ? List.of() : List.of(new HostIP(hostIp)));
        status.getConditions().removeIf(c -> CONDITION.equals(c.getType()));
        if (REASON_EXHAUSTED.equals(status.getReason())) {
            status.setReason(null);
            status.setMessage(null);
        }
        inFlight.mark(key, pod);
        // Only addresses taken by this very write go back on failure: an address the pod got
        // in an earlier, durable write is still its own.
        writes.add(new Mutation.UpdateStatus(statusOnly(pod, status)), e -> {
            inFlight.clear(key);
            fresh.forEach(a -> a.release(key));
        });
    }

    private void exhausted(Pod pod, String message, Writes writes) {
        String key = Keys.of(pod);
        if (pod.getStatus() != null && message.equals(pod.getStatus().getMessage())) {
            return;
        }
        PodStatus status = pod.getStatus() == null ? new PodStatus() : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        status.setReason(REASON_EXHAUSTED);
        status.setMessage(message);
        status.getConditions().removeIf(c -> CONDITION.equals(c.getType()));
        PodCondition c = new PodCondition();
        c.setType(CONDITION);
        c.setStatus("False");
        c.setReason(REASON_EXHAUSTED);
        c.setMessage(message);
        status.getConditions().add(c);
        inFlight.mark(key, pod);
        writes.add(new Mutation.UpdateStatus(statusOnly(pod, status)), e -> inFlight.clear(key));
    }

    private void release(String key, String node) {
        if (node == null) {
            return;
        }
        nodeOfOwner.remove(key);
        for (PodCidrAllocator a : byNode.getOrDefault(node, List.of())) {
            a.release(key);
        }
        Set<String> waiting = starved.remove(node);
        if (waiting != null) {
            enqueueAll(waiting);
        }
    }

    private List<PodCidrAllocator> allocators(String nodeName) {
        List<PodCidrAllocator> list = byNode.get(nodeName);
        if (list != null && !list.isEmpty()) {
            return list;
        }
        Node node = caches.nodes().get(nodeName);
        if (node == null || node.getSpec() == null) {
            return List.of();
        }
        List<String> cidrs = node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()
                ? node.getSpec().getPodCIDRs()
                : node.getSpec().getPodCIDR() == null ? List.of() : List.of(node.getSpec().getPodCIDR());
        List<PodCidrAllocator> out = cidrs.stream().map(c -> new PodCidrAllocator(Cidr.parse(c))).toList();
        if (!out.isEmpty()) {
            byNode.put(nodeName, out);
        }
        return out;
    }

    static List<String> addresses(Pod pod) {
        PodStatus s = pod.getStatus();
        if (s == null) {
            return List.of();
        }
        if (s.getPodIPs() != null && !s.getPodIPs().isEmpty()) {
            return s.getPodIPs().stream().map(PodIP::getIp).toList();
        }
        return s.getPodIP() == null ? List.of() : List.of(s.getPodIP());
    }

    static String internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return null;
        }
        return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).findFirst().orElse(null);
    }

    /** A pod carrying only what a status write needs: identity, resourceVersion and status. */
    static Pod statusOnly(Pod pod, PodStatus status) {
        Pod p = new Pod();
        p.setApiVersion("v1");
        p.setKind("Pod");
        p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                .withResourceVersion(pod.getMetadata().getResourceVersion()).build());
        p.setStatus(status);
        return p;
    }
}
