package dev.knet.policy;

import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods and namespaces of one snapshot, numbered: pod ids index every per-pod array of the
 * policy index and the matrix. Pods without an address take part in selector matching only.
 */
public final class PodUniverse {

    private final List<PodView> pods;
    private final Map<String, Map<String, String>> namespaceLabels;
    private final Map<String, Integer> idByKey = new HashMap<>();
    private final Map<String, Integer> idByIp = new HashMap<>();
    private final Map<String, int[]> idsByNamespace = new HashMap<>();
    private final byte[][] ips;

    public PodUniverse(List<PodView> pods, Map<String, Map<String, String>> namespaceLabels) {
        this.pods = List.copyOf(pods);
        this.namespaceLabels = Map.copyOf(namespaceLabels);
        this.ips = new byte[pods.size()][];
        Map<String, List<Integer>> byNs = new HashMap<>();
        for (int i = 0; i < pods.size(); i++) {
            PodView pod = pods.get(i);
            idByKey.put(pod.key(), i);
            if (pod.ip() != null) {
                ips[i] = IpAddresses.parse(pod.ip());
                idByIp.putIfAbsent(IpAddresses.format(ips[i]), i);
            }
            byNs.computeIfAbsent(pod.namespace(), n -> new ArrayList<>()).add(i);
        }
        byNs.forEach((ns, ids) -> idsByNamespace.put(ns, ids.stream().mapToInt(Integer::intValue).toArray()));
    }

    public static PodUniverse of(ClusterSnapshot snapshot) {
        return new PodUniverse(snapshot.pods(), snapshot.namespaceLabels());
    }

    public int size() {
        return pods.size();
    }

    public PodView pod(int id) {
        return pods.get(id);
    }

    public List<PodView> pods() {
        return pods;
    }

    /** The pod id for "ns/name", or -1. */
    public int idOf(String key) {
        return idByKey.getOrDefault(key, -1);
    }

    /** The pod id owning an address, or -1. */
    public int idOfIp(String ip) {
        return idByIp.getOrDefault(IpAddresses.format(IpAddresses.parse(ip)), -1);
    }

    /** The pod's address as bytes, or null when it has none. */
    public byte[] ip(int id) {
        return ips[id];
    }

    public int[] podsIn(String namespace) {
        return idsByNamespace.getOrDefault(namespace, new int[0]);
    }

    public Map<String, Map<String, String>> namespaceLabels() {
        return namespaceLabels;
    }

    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of(ClusterSnapshot.NAMESPACE_NAME_LABEL, namespace));
    }
}
