package dev.knet.node;

import dev.knet.dns.resolv.PodHosts;
import dev.knet.dns.resolv.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pod's /etc/resolv.conf and /etc/hosts. A pod with its own sandbox keeps them in its namespace's
 * /etc/netns folder, which {@code ip netns exec} bind-mounts by itself. A hostNetwork pod shares the
 * node's namespace with the node and with other such pods, each with its own dnsPolicy, so its files
 * live in a folder of its own ({@code /etc/netns/.knet-hostnet/NODE_NETNS/UID}, a name no namespace
 * can have) and are bind-mounted into each of its processes.
 */
final class PodEtcFiles {

    private final Path etcNetnsDir;

    PodEtcFiles(Path etcNetnsDir) {
        this.etcNetnsDir = etcNetnsDir;
    }

    /** Where the pod's files are: its namespace's folder, or the hostNetwork pod's own. */
    Path dir(Pod pod, String netns) {
        return hostNetwork(pod) ? hostNetworkDir(netns, pod.getMetadata().getUid()) : etcNetnsDir.resolve(netns);
    }

    Path hostNetworkDir(String nodeNetns, String uid) {
        return etcNetnsDir.resolve(NodeAgents.HOST_NETWORK_ETC).resolve(nodeNetns).resolve(uid);
    }

    /** Writes both files for the pod: its dnsPolicy/dnsConfig resolved against the cluster DNS. */
    void write(Pod pod, String netns, String clusterDnsIp, String zone) {
        ResolvConf resolv = ResolvConf.forPod(pod, clusterDnsIp, zone, ResolvConf.empty());
        Path dir = dir(pod, netns);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("resolv.conf"), resolv.render());
            if (!hostNetwork(pod)) { // a hostNetwork pod sees the node's /etc/hosts, as the kubelet gives it
                Files.writeString(dir.resolve("hosts"), PodHosts.etcHosts(pod, zone, ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the /etc files of " + pod.getMetadata().getName(), e);
        }
    }

    /** What each process of the pod must have mounted besides what {@code ip netns exec} mounts. */
    List<BindMount> mounts(Pod pod, String netns) {
        if (!hostNetwork(pod)) {
            return List.of();
        }
        Path resolv = dir(pod, netns).resolve("resolv.conf");
        return Files.exists(resolv) ? List.of(new BindMount(resolv, "/etc/resolv.conf", BindMount.Access.READ_ONLY))
                : List.of();
    }

    /** Removes a hostNetwork pod's folder (a sandbox's folder goes with its sandbox). */
    void removeHostNetwork(String nodeNetns, String uid) {
        Path dir = hostNetworkDir(nodeNetns, uid);
        PodSandboxes.deleteTree(dir);
        try {
            Files.deleteIfExists(dir.getParent()); // only when no other hostNetwork pod of the node is left
        } catch (IOException e) {
            // another pod's folder is still there: the node's folder stays
        }
    }

    static boolean hostNetwork(Pod pod) {
        return pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    }
}
