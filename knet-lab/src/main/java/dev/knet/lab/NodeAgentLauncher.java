package dev.knet.lab;

import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.knet.agent.services.NodeInfo;
import dev.knet.node.NodeAgentDeps;
import dev.knet.node.NodeAgents;
import dev.knet.node.NodePolicy;
import dev.knet.dataplane.Dataplane;
import dev.knet.node.SandboxNames;
import java.util.Optional;

/**
 * Starts one node agent with the real dataplane, the node's Service proxy and its NetworkPolicy
 * enforcement (nftables in the node namespace). A failing start is logged; the lab then reports that its nodes do not run pods.
 */
final class NodeAgentLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgentLauncher.class);

    private NodeAgentLauncher() {
    }

    /** Starts the real agent, with the node's Service proxy when its addresses are known. */
    static Optional<NodeAgent> start(NodeAgentConfig config, NodeInfo node) {
        try {
            NodeAgentDeps deps = ownSandboxesOnly(NodeAgents.realDeps(config), config);
            if (node != null) {
                deps = deps.withServices(NodeAgentDeps.NodeServices.node(node, config.nodeNetns(),
                        deps.dataplane().links()));
            }
            deps = deps.withPolicy(NodePolicy.inNodeNetns(config));
            return Optional.of(NodeAgents.start(config, deps));
        } catch (RuntimeException e) {
            LOG.warn("node agent for {} failed to start", config.nodeName(), e);
            return Optional.empty();
        }
    }

    /** The agent sees only its own pod sandboxes; see {@link NodeSandboxView}. */
    static NodeAgentDeps ownSandboxesOnly(NodeAgentDeps deps, NodeAgentConfig config) {
        Dataplane dp = deps.dataplane();
        Dataplane view = new Dataplane(new NodeSandboxView(dp.netns(), SandboxNames.prefix(config.clusterName()),
                config.stateDir().resolve("sandboxes")), dp.links(), dp.routes(), dp.neighbours(), dp.fdb(),
                dp.sysctls(), dp.batches(), dp.nftables());
        return deps.withDataplane(view);
    }
}
