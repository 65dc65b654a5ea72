package dev.knet.node;

import dev.knet.cni.runtime.CniRuntime;
import dev.knet.cni.runtime.RuntimeConf;
import dev.knet.cni.spec.CniResult;
import dev.knet.cni.spec.NetworkConfigList;
import dev.knet.dataplane.netns.NetnsManager;
import dev.knet.dataplane.netns.NetnsNames;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A pod's network sandbox: its namespace, the CNI attachment (container id = pod uid, eth0) and
 * the per-namespace resolv.conf and hosts files that {@code ip netns exec} bind-mounts.
 */
final class PodSandboxes {

    static final String IF_NAME = "eth0";
    private static final int DEFAULT_PREFIX = 24;
    private final NodeAgentConfig config;
    private final NetnsManager netns;
    private final CniRuntime cni;
    private final NetworkConfigList conflist;
    private final Path etcNetnsDir;
    private final PodEtcFiles files;

    PodSandboxes(NodeAgentConfig config, NetnsManager netns, CniRuntime cni, Path etcNetnsDir) {
        this.config = config;
        this.netns = netns;
        this.cni = cni;
        this.conflist = NetworkConfigList.parse(config.cniConfList());
        this.etcNetnsDir = etcNetnsDir;
        this.files = new PodEtcFiles(etcNetnsDir);
    }

    String netnsName(Pod pod) {
        var m = pod.getMetadata();
        return SandboxNames.podNetns(config.clusterName(), m.getNamespace(), m.getName(), m.getUid());
    }

    /**
     * Creates the namespace (or reuses a left-over one), attaches it and writes its files. {@code ip} is the
     * address the control plane chose, or null when the conflist's own IPAM chooses (host-local).
     *
     * @return the pod's address as the plugins report it (the truth for the pod's status)
     */
    String create(Pod pod, String podNetns, String ip) {
        if (!netns.exists(podNetns)) {
            netns.create(podNetns);
        }
        String uid = pod.getMetadata().getUid();
        recordOwner(podNetns, uid, ip);
        CniResult result;
        try {
            result = cni.addNetworkList(conflist, runtimeConf(uid, ip, podNetns));
        } catch (RuntimeException e) {
            try {
                destroy(uid, ip, podNetns); // CNI leaves undoing a failed ADD to the runtime
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        String address = firstIpv4(result).orElse(ip);
        if (address == null) {
            destroy(uid, null, podNetns);
            throw new NodeAgentException("CNI ADD of " + podNetns + " reported no IPv4 address", null);
        }
        recordOwner(podNetns, uid, address);
        writeFiles(pod, podNetns);
        return address;
    }

    /** CNI CHECK of an adopted sandbox, the files rewritten in case they were lost; returns the pod's address. */
    String check(Pod pod, String podNetns) {
        String uid = pod.getMetadata().getUid();
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        Optional<String> cached = cni.cachedResult(conflist.name(), uid, IF_NAME).flatMap(PodSandboxes::firstIpv4);
        String address = cached.orElse(ip);
        if (address == null || address.isBlank()) {
            throw new NodeAgentException("adopted sandbox " + podNetns + " has no known address", null);
        }
        cni.checkNetworkList(conflist, runtimeConf(uid, address, podNetns));
        writeFiles(pod, podNetns);
        return address;
    }

    /**
     * Whether the control plane must choose a pod's address first: some plugin takes it through the
     * {@code ips} capability. Otherwise the conflist's IPAM (host-local) chooses and the agent reports it.
     */
    boolean needsPodIp() {
        return conflist.plugins().stream().anyMatch(p -> p.path("capabilities").path("ips").asBoolean(false));
    }

    private static Optional<String> firstIpv4(CniResult result) {
        return result.ips().stream().map(CniResult.Ip::address).filter(a -> a != null && !a.contains(":"))
                .map(a -> a.contains("/") ? a.substring(0, a.indexOf('/')) : a).findFirst();
    }

    /** CNI DEL, namespace delete and file removal; each step tolerates what is already gone. */
    void destroy(String uid, String ip, String podNetns) {
        try {
            cni.delNetworkList(conflist, runtimeConf(uid == null ? podNetns : uid, ip, podNetns));
        } finally {
            netns.delete(podNetns);
            deleteTree(etcNetnsDir.resolve(podNetns));
            deleteTree(ownerFile(podNetns));
        }
    }

    /** Removes a sandbox no pod owns any more, with the uid recorded when it was made (for CNI DEL). */
    void destroyOrphan(String podNetns) {
        String[] owner = {null, null};
        try {
            if (Files.exists(ownerFile(podNetns))) {
                owner = Files.readString(ownerFile(podNetns)).strip().split(" ", 2);
            }
        } catch (IOException e) {
            // unknown owner: DEL by namespace name still removes the links with the namespace
        }
        destroy(owner[0], owner.length > 1 ? owner[1] : null, podNetns);
    }

    private Path ownerFile(String podNetns) {
        return config.stateDir().resolve("sandboxes").resolve(NetnsNames.requireKnet(podNetns));
    }

    private void recordOwner(String podNetns, String uid, String ip) {
        try {
            Files.createDirectories(ownerFile(podNetns).getParent());
            Files.writeString(ownerFile(podNetns), uid + " " + ip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the owner of " + podNetns, e);
        }
    }

    /** The pod sandboxes of this cluster that exist now (this node's, since namespaces are per node). */
    List<String> existing() {
        String prefix = SandboxNames.prefix(config.clusterName());
        return netns.list().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    Path etcDir(String podNetns) {
        return etcNetnsDir.resolve(NetnsNames.requireKnet(podNetns));
    }

    /** The pod's /etc files (a hostNetwork pod's too). */
    PodEtcFiles files() {
        return files;
    }

    /** The pod IP goes to every command: knet's plugin validates its address source on DEL and CHECK too. */
    private RuntimeConf runtimeConf(String containerId, String ip, String podNetns) {
        RuntimeConf rt = RuntimeConf.of(containerId, NetnsNames.path(podNetns), IF_NAME);
        return ip == null || ip.isBlank() ? rt : rt.withCapability("ips", List.of(ip + "/" + prefixLength()));
    }

    private void writeFiles(Pod pod, String podNetns) {
        files.write(pod, podNetns, config.clusterDnsIp(), zone());
    }

    /** The cluster domain of the node's pods' search paths. */
    String zone() {
        return config.clusterDomain() == null ? "cluster.local" : config.clusterDomain();
    }

    /**
     * The prefix sent with the pod IP: the conflist's ipam subnet (the node's pod CIDR) when it
     * names one, else /24. knet's plugin derives a gateway from it (first address) even in routed
     * mode, where the pod itself gets a /32, so a /32 here would be refused.
     */
    private int prefixLength() {
        for (var plugin : conflist.plugins()) {
            String subnet = plugin.path("ipam").path("subnet").asString("");
            if (subnet.contains("/")) {
                return Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
            }
        }
        return DEFAULT_PREFIX;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
