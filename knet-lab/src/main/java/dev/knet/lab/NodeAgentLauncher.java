package dev.knet.lab;

import dev.knet.node.NodeAgent;
import dev.knet.node.NodeAgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * Starts one node agent through {@code dev.knet.node.NodeAgents.start}. Looked up reflectively so
 * the lab builds and runs its network while the agent is still missing or unfinished; a missing or
 * failing factory is logged and leaves the control plane's simulated kubelet in charge.
 */
final class NodeAgentLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgentLauncher.class);
    private static final String FACTORY = "dev.knet.node.NodeAgents";

    private NodeAgentLauncher() {
    }

    static Optional<NodeAgent> start(NodeAgentConfig config) {
        try {
            Class<?> factory = Class.forName(FACTORY);
            Object agent = factory.getMethod("start", NodeAgentConfig.class).invoke(null, config);
            return Optional.of((NodeAgent) agent);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            LOG.warn("no node agent: {}.start(NodeAgentConfig) is missing ({})", FACTORY, e.toString());
        } catch (InvocationTargetException e) {
            LOG.warn("node agent for {} failed to start", config.nodeName(), e.getCause());
        } catch (IllegalAccessException | ClassCastException e) {
            LOG.warn("node agent factory {} is unusable", FACTORY, e);
        }
        return Optional.empty();
    }
}
