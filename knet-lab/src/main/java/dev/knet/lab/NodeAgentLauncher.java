package dev.knet.lab;

import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.knet.agent.services.NodeInfo;
import dev.knet.node.NodeAgentDeps;
import dev.knet.node.NodeAgents;
import java.util.Optional;

/**
 * Starts one node agent with the real dataplane and the node's Service proxy (nftables in the node
 * namespace). A failing start is logged; the lab then reports that its nodes do not run pods.
 */
final class NodeAgentLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgentLauncher.class);

    private NodeAgentLauncher() {
    }

    /** Starts the real agent, with the node's Service proxy when its addresses are known. */
    static Optional<NodeAgent> start(NodeAgentConfig config, NodeInfo node) {
        try {
            NodeAgentDeps deps = NodeAgents.realDeps(config);
            if (node != null) {
                deps = deps.withServices(NodeAgentDeps.NodeServices.nftCommand(node, config.nodeNetns()));
            }
            return Optional.of(NodeAgents.start(config, deps));
        } catch (RuntimeException e) {
            LOG.warn("node agent for {} failed to start", config.nodeName(), e);
            return Optional.empty();
        }
    }
}
