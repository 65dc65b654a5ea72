package dev.knet.control.node;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.config.NodeConfig;
import dev.knet.control.runtime.ClusterCaches;
import dev.knet.control.runtime.Controller;
import dev.knet.control.runtime.WriteTracker;
import dev.knet.control.runtime.Writes;
import dev.knet.model.KnetJson;
import dev.knet.model.net.Cidr;
import dev.knet.store.ApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps one Node object per configured node: its labels, addresses, Ready condition, and a pod CIDR
 * per cluster prefix. A node keeps the CIDR it has (the stored Node is the record, so it survives
 * restarts); a node without one gets the lowest subnet no other node holds.
 */
public final class NodeController extends Controller {

    private final ClusterConfig config;
    private final ClusterCaches caches;
    /** CIDRs handed out whose Node the cache may not show yet. */
    private final Map<String, List<String>> assigned = new HashMap<>();

    public NodeController(ApiStore store, WriteTracker tracker, ClusterCaches caches, ClusterConfig config) {
        super("node-controller", store, tracker);
        this.config = config;
        this.caches = caches;
        caches.nodes().addHandler((old, now) -> enqueue((now != null ? now : old).getMetadata().getName()));
    }

    @Override
    public void start() {
        enqueueAll(config.nodes().stream().map(NodeConfig::name).toList());
        super.start();
    }

    @Override
    protected void reconcile(String name, Writes writes) {
        NodeConfig want = config.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
        if (want == null) {
            return; // not ours: a node registered by someone else is left alone
        }
        Node existing = caches.nodes().get(name);
        List<String> cidrs = existing != null && existing.getSpec() != null
                && existing.getSpec().getPodCIDRs() != null && !existing.getSpec().getPodCIDRs().isEmpty()
                ? existing.getSpec().getPodCIDRs() : assigned.computeIfAbsent(name, n -> allocate(n));
        if (existing == null) {
            Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(new LinkedHashMap<>(want.labels()))
                    .endMetadata().withNewSpec().withPodCIDR(cidrs.getFirst()).withPodCIDRs(cidrs).endSpec()
                    .withStatus(status(want, null)).build();
            writes.add(new Mutation.Create(node), e -> assigned.remove(name));
            return;
        }
        Map<String, String> labels = new LinkedHashMap<>(existing.getMetadata().getLabels());
        labels.putAll(want.labels());
        boolean specOk = existing.getSpec() != null && cidrs.equals(existing.getSpec().getPodCIDRs())
                && cidrs.getFirst().equals(existing.getSpec().getPodCIDR());
        if (!labels.equals(existing.getMetadata().getLabels()) || !specOk) {
            Node next = KnetJson.copy(existing);
            next.getMetadata().setLabels(labels);
            if (next.getSpec() == null) {
                next.setSpec(new NodeSpec());
            }
            next.getSpec().setPodCIDR(cidrs.getFirst());
            next.getSpec().setPodCIDRs(cidrs);
            writes.add(new Mutation.Update(next));
        }
        NodeStatus status = status(want, existing.getStatus());
        if (!status.equals(existing.getStatus())) {
            Node next = new NodeBuilder().withNewMetadata().withName(name)
                    .withResourceVersion(existing.getMetadata().getResourceVersion()).endMetadata()
                    .withStatus(status).build();
            writes.add(new Mutation.UpdateStatus(next));
        }
    }

    /** The lowest free subnet of each cluster prefix. */
    private List<String> allocate(String nodeName) {
        List<String> taken = new ArrayList<>();
        for (Node n : caches.nodes().all()) {
            if (n.getSpec() != null && n.getSpec().getPodCIDRs() != null && !n.getMetadata().getName().equals(nodeName)) {
                taken.addAll(n.getSpec().getPodCIDRs());
            }
        }
        assigned.forEach((n, c) -> taken.addAll(c));
        List<String> out = new ArrayList<>();
        for (Cidr cluster : config.clusterCidrs()) {
            int mask = config.nodeMask(cluster);
            long count = mask - cluster.prefixLength() >= 62 ? Long.MAX_VALUE : 1L << (mask - cluster.prefixLength());
            String chosen = null;
            for (long i = 0; i < count && chosen == null; i++) {
                String candidate = cluster.subnet(mask, i).toString();
                if (!taken.contains(candidate)) {
                    chosen = candidate;
                }
            }
            if (chosen == null) {
                throw new IllegalStateException("no free /" + mask + " left in " + cluster + " for node " + nodeName);
            }
            out.add(chosen);
        }
        return out;
    }

    /** The status this controller owns, keeping what others (a node agent) added, such as nodeInfo. */
    private static NodeStatus status(NodeConfig want, NodeStatus current) {
        NodeStatus s = current == null ? new NodeStatus() : KnetJson.serialization().clone(current);
        List<NodeAddress> addresses = List.of(new NodeAddress(want.internalIp(), "InternalIP"),
                new NodeAddress(want.name(), "Hostname"));
        s.setAddresses(new ArrayList<>(addresses));
        List<NodeCondition> conditions = new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
        NodeCondition ready = conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        if (ready == null || !Objects.equals("True", ready.getStatus())) {
            conditions.removeIf(c -> "Ready".equals(c.getType()));
            NodeCondition c = new NodeCondition();
            c.setType("Ready");
            c.setStatus("True");
            c.setReason("KubeletReady");
            c.setMessage("knet control plane reports the node ready");
            c.setLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            conditions.add(c);
        }
        s.setConditions(conditions);
        return s;
    }
}
