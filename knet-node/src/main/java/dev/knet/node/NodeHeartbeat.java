package dev.knet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the Node's Ready condition fresh, as the kubelet's status updates do. Only the Ready
 * condition is touched; a Node that does not exist (yet) is left to whoever registers nodes.
 */
final class NodeHeartbeat implements Runnable {

    private final KubernetesClient client;
    private final String nodeName;

    NodeHeartbeat(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    @Override
    public void run() {
        try {
            Node node = client.nodes().withName(nodeName).get();
            if (node == null) {
                return;
            }
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            List<NodeCondition> conditions = new ArrayList<>();
            NodeCondition previous = null;
            if (node.getStatus() != null && node.getStatus().getConditions() != null) {
                for (NodeCondition c : node.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType())) {
                        previous = c;
                    } else {
                        conditions.add(c);
                    }
                }
            }
            boolean wasReady = previous != null && "True".equals(previous.getStatus());
            conditions.add(new NodeConditionBuilder().withType("Ready").withStatus("True")
                    .withReason("KubeletReady").withMessage("knet node agent is posting ready status")
                    .withLastHeartbeatTime(now)
                    .withLastTransitionTime(wasReady && previous.getLastTransitionTime() != null
                            ? previous.getLastTransitionTime() : now)
                    .build());
            client.nodes().resource(new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus()
                    .build()).updateStatus();
        } catch (KubernetesClientException e) {
            // a conflict or an unreachable API server: the next beat tries again
            System.getLogger(NodeHeartbeat.class.getName()).log(System.Logger.Level.DEBUG,
                    "heartbeat of " + nodeName + " failed", e);
        }
    }
}
