package dev.knet.node;

import dev.knet.dataplane.Sysctls;
import dev.knet.dataplane.nft.Nftables;
import dev.knet.policy.enforce.PodMatch;
import dev.knet.policy.enforce.PolicyEnforcer;
import dev.knet.policy.enforce.PolicyRulesetGenerator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import static dev.knet.model.InformerHandlers.upsertOrDelete;

/**
 * The node's NetworkPolicy enforcement, fed by informers on every pod (peers live on other nodes too),
 * namespace, NetworkPolicy and ClusterNetworkPolicy. The enforcer itself picks this node's pods
 * ({@code spec.nodeName}) as subjects. Nothing is written before all four initial lists are in:
 * an early ruleset would miss policies and briefly open isolated pods.
 */
final class PolicyFeeds implements AutoCloseable {

    private static final Logger LOG = System.getLogger(PolicyFeeds.class.getName());
    static final ResourceDefinitionContext CLUSTER_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("policy.networking.k8s.io").withVersion("v1alpha2").withKind("ClusterNetworkPolicy")
            .withPlural("clusternetworkpolicies").withNamespaced(false).build();
    /** The interface name given to the generator when pods are matched by address (it is then unused). */
    private static final String NO_INTERFACE = "eth0";

    private final PolicyEnforcer enforcer;
    private final Nftables nft;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    PolicyFeeds(KubernetesClient client, NodeAgentConfig config, NodePolicy wiring, Sysctls sysctls) {
        this.nft = wiring.nft();
        if (wiring.podMatch() == PodMatch.ADDRESS) {
            bridgeNetfilter(sysctls, config.nodeNetns());
        }
        this.enforcer = new PolicyEnforcer(config.nodeName(),
                wiring.podMatch() == PodMatch.INTERFACE ? NodePolicy::hostEnd : pod -> NO_INTERFACE, wiring.nft(),
                wiring.reasons(), new PolicyRulesetGenerator.Options(wiring.podMatch(),
                PolicyRulesetGenerator.Options.DEFAULT.nflogGroup()), wiring.config());
        try {
            // inform() returns after the initial list, so once all have returned the enforcer may write
            informers.add(client.namespaces().inform(upsertOrDelete(enforcer::onUpdate, enforcer::onDelete), 0));
            informers.add(client.pods().inAnyNamespace().inform(upsertOrDelete(enforcer::onUpdate, enforcer::onDelete), 0));
            informers.add(client.network().v1().networkPolicies().inAnyNamespace().inform(upsertOrDelete(enforcer::onUpdate, enforcer::onDelete), 0));
            clusterPolicies(client);
            enforcer.markSynced();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    PolicyEnforcer enforcer() {
        return enforcer;
    }

    /** A cluster without the ClusterNetworkPolicy API still gets its NetworkPolicies enforced. */
    private void clusterPolicies(KubernetesClient client) {
        try {
            informers.add(client.genericKubernetesResources(CLUSTER_POLICIES).inform(upsertOrDelete(enforcer::onUpdate, enforcer::onDelete), 0));
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, "ClusterNetworkPolicy cannot be watched, enforcing NetworkPolicy only: "
                    + e.getMessage());
        }
    }

    /** Same-node pods on a bridge pass the inet forward hook only with bridge netfilter on (L2 modes). */
    private static void bridgeNetfilter(Sysctls sysctls, String nodeNetns) {
        try {
            sysctls.set(nodeNetns, "net.bridge.bridge-nf-call-iptables", "1");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bridge netfilter is off in " + nodeNetns
                    + ": policies do not filter traffic between pods bridged on this node", e);
        }
    }

    /** Stops watching and the loop; the node's policy table stays as last written (fail closed). */
    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        enforcer.close();
        nft.close(); // the table stays; only an in-process handle goes
    }
}
