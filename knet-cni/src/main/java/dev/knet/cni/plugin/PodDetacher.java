package dev.knet.cni.plugin;

import dev.knet.cni.spec.Attachment;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkKind;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DEL and GC. DEL is idempotent: a missing namespace, link or address is success, because the
 * runtime retries DEL until it succeeds and may call it for an ADD that never completed. Deleting
 * the host end removes the pod end and the host route with it (the kernel does that for a veth).
 */
final class PodDetacher {

    private final Dataplane dp;

    PodDetacher(Dataplane dp) {
        this.dp = dp;
    }

    void del(KnetNetConf conf, PodTarget pod) {
        String node = conf.nodeNetns();
        if (dp.netns().exists(node)) {
            dp.links().delete(node, pod.hostEnd());
        }
        if (conf.requestedIps().isEmpty() && conf.ipam() != null && conf.ipam().range() != null) {
            new FileIpam(conf.name(), conf.ipam()).release(pod.containerId(), pod.ifName());
        }
    }

    /**
     * Removes host ends and addresses of attachments that are no longer valid. Assumes one knet
     * network per node namespace, which is how knet lays out nodes.
     */
    int gc(KnetNetConf conf, List<Attachment> valid) {
        int removed = 0;
        String node = conf.nodeNetns();
        if (dp.netns().exists(node)) {
            Set<String> keep = new HashSet<>();
            valid.forEach(a -> keep.add(HostEndName.of(a.containerID(), a.ifname())));
            for (Link link : dp.links().list(node)) {
                if (link.kind() == LinkKind.VETH && HostEndName.isHostEnd(link.name()) && !keep.contains(link.name())) {
                    dp.links().delete(node, link.name());
                    removed++;
                }
            }
        }
        if (conf.ipam() != null && conf.ipam().range() != null) {
            removed += new FileIpam(conf.name(), conf.ipam()).gc(Set.copyOf(valid));
        }
        return removed;
    }
}
