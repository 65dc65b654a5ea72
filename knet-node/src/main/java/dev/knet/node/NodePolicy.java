package dev.knet.node;

import dev.knet.cni.plugin.HostEndName;
import dev.knet.cni.spec.NetworkConfigList;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.policy.enforce.DropReasons;
import dev.knet.policy.enforce.PodMatch;
import dev.knet.policy.enforce.PolicyEnforcer;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * What the node's NetworkPolicy enforcement programs: the node's nftables and how a pod's packets are
 * recognised there.
 *
 * @param nft      nftables of the node namespace (NftCommand in the lab, FakeNftables in tests)
 * @param podMatch {@link PodMatch#INTERFACE} when every pod has its own routed host-side veth (knet's plugin
 *                 in routed, vxlan and cloud modes); {@link PodMatch#ADDRESS} when pods hang off a bridge
 *                 (knet's bridge mode, the reference bridge plugin), whose veth names knet cannot derive
 * @param reasons  the drop reasons table, shared with whoever explains logged drops
 * @param config   the enforcement loop's pacing
 */
public record NodePolicy(Nftables nft, PodMatch podMatch, DropReasons reasons, PolicyEnforcer.Config config) {

    public NodePolicy {
        Objects.requireNonNull(nft, "nft");
        Objects.requireNonNull(podMatch, "podMatch");
        Objects.requireNonNull(reasons, "reasons");
        Objects.requireNonNull(config, "config");
    }

    /** Enforcement over {@code nft} with the default pacing; the pod match follows the agent's conflist. */
    public static NodePolicy of(Nftables nft, NodeAgentConfig config) {
        return new NodePolicy(nft, podMatchFor(config.cniConfList()), new DropReasons(), PolicyEnforcer.Config.DEFAULT);
    }

    /** The real wiring: the nft command inside the node namespace. */
    public static NodePolicy nftCommand(NodeAgentConfig config) {
        return of(new NftCommand(config.nodeNetns()), config);
    }

    /**
     * A lab or real node: libnftables in-process when the library is there (a policy sync per pod change would
     * otherwise start an nft process each time), else the nft command, inside the node namespace.
     */
    public static NodePolicy inNodeNetns(NodeAgentConfig config) {
        return of(Nftables.inNamespace(config.nodeNetns()), config);
    }

    /** A faster loop, for tests that wait for a sync. */
    public NodePolicy withConfig(PolicyEnforcer.Config pacing) {
        return new NodePolicy(nft, podMatch, reasons, pacing);
    }

    /**
     * INTERFACE only for knet's own plugin in a routed mode (its host ends are named from the container id);
     * anything bridged, or a plugin whose veth names are its own business, is matched by address.
     */
    static PodMatch podMatchFor(String conflist) {
        var first = NetworkConfigList.parse(conflist).plugins().getFirst();
        boolean knetRouted = "knet".equals(first.path("type").asString(""))
                && !"bridge".equals(first.path("mode").asString("bridge"));
        return knetRouted ? PodMatch.INTERFACE : PodMatch.ADDRESS;
    }

    /** The host-side veth of a pod sandboxed by this agent (container id = pod uid, eth0). */
    static String hostEnd(Pod pod) {
        return HostEndName.of(pod.getMetadata().getUid(), PodSandboxes.IF_NAME);
    }
}
