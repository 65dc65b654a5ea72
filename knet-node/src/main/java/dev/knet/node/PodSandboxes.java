package dev.knet.node;

import dev.knet.cni.runtime.CniRuntime;
import dev.knet.cni.runtime.RuntimeConf;
import dev.knet.cni.spec.NetworkConfigList;
import dev.knet.dataplane.netns.NetnsManager;
import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dns.resolv.PodHosts;
import dev.knet.dns.resolv.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pod's network sandbox: its namespace, the CNI attachment (container id = pod uid, eth0) and
 * the per-namespace resolv.conf and hosts files that {@code ip netns exec} bind-mounts.
 */
final class PodSandboxes {

    static final String IF_NAME = "eth0";
    private final NodeAgentConfig config;
    private final NetnsManager netns;
    private final CniRuntime cni;
    private final NetworkConfigList conflist;
    private final Path etcNetnsDir;

    PodSandboxes(NodeAgentConfig config, NetnsManager netns, CniRuntime cni, Path etcNetnsDir) {
        this.config = config;
        this.netns = netns;
        this.cni = cni;
        this.conflist = NetworkConfigList.parse(config.cniConfList());
        this.etcNetnsDir = etcNetnsDir;
    }

    String netnsName(Pod pod) {
        var m = pod.getMetadata();
        return SandboxNames.podNetns(config.clusterName(), m.getNamespace(), m.getName(), m.getUid());
    }

    /** Creates the namespace (or reuses a left-over one), attaches it with the pod's IP and writes its files. */
    void create(Pod pod, String podNetns) {
        if (!netns.exists(podNetns)) {
            netns.create(podNetns);
        }
        recordOwner(podNetns, pod.getMetadata().getUid());
        try {
            cni.addNetworkList(conflist, runtimeConf(pod.getMetadata().getUid(), podNetns)
                    .withCapability("ips", List.of(pod.getStatus().getPodIP() + "/" + prefixLength())));
        } catch (RuntimeException e) {
            destroy(pod.getMetadata().getUid(), podNetns); // CNI leaves undoing a failed ADD to the runtime
            throw e;
        }
        writeFiles(pod, podNetns);
    }

    /** CNI CHECK of an adopted sandbox; the files are rewritten in case they were lost. */
    void check(Pod pod, String podNetns) {
        cni.checkNetworkList(conflist, runtimeConf(pod.getMetadata().getUid(), podNetns));
        writeFiles(pod, podNetns);
    }

    /** CNI DEL, namespace delete and file removal; each step tolerates what is already gone. */
    void destroy(String uid, String podNetns) {
        try {
            cni.delNetworkList(conflist, runtimeConf(uid == null ? podNetns : uid, podNetns));
        } finally {
            netns.delete(podNetns);
            deleteTree(etcNetnsDir.resolve(podNetns));
            deleteTree(ownerFile(podNetns));
        }
    }

    /** Removes a sandbox no pod owns any more, with the uid recorded when it was made (for CNI DEL). */
    void destroyOrphan(String podNetns) {
        String uid;
        try {
            uid = Files.exists(ownerFile(podNetns)) ? Files.readString(ownerFile(podNetns)).strip() : null;
        } catch (IOException e) {
            uid = null;
        }
        destroy(uid, podNetns);
    }

    private Path ownerFile(String podNetns) {
        return config.stateDir().resolve("sandboxes").resolve(NetnsNames.requireKnet(podNetns));
    }

    private void recordOwner(String podNetns, String uid) {
        try {
            Files.createDirectories(ownerFile(podNetns).getParent());
            Files.writeString(ownerFile(podNetns), uid);
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

    private RuntimeConf runtimeConf(String containerId, String podNetns) {
        return RuntimeConf.of(containerId, NetnsNames.path(podNetns), IF_NAME);
    }

    private void writeFiles(Pod pod, String podNetns) {
        String zone = config.clusterDomain() == null ? "cluster.local" : config.clusterDomain();
        ResolvConf resolv = ResolvConf.forPod(pod, config.clusterDnsIp(), zone, ResolvConf.empty());
        try {
            Path dir = etcDir(podNetns);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("resolv.conf"), resolv.render());
            Files.writeString(dir.resolve("hosts"), PodHosts.etcHosts(pod, zone, ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write /etc/netns files of " + podNetns, e);
        }
    }

    /** The ipam subnet's prefix when the conflist names one (bridge mode), else a host route (/32). */
    private int prefixLength() {
        for (var plugin : conflist.plugins()) {
            String subnet = plugin.path("ipam").path("subnet").asString("");
            if (subnet.contains("/") && "bridge".equals(plugin.path("mode").asString(""))) {
                return Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
            }
        }
        return 32;
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
