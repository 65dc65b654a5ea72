package dev.knet.node;

/**
 * A running node agent: kubelet-like pod lifecycle plus the node's Service proxy and policy
 * enforcement. Closing it stops watching and stops its containers, but leaves pod sandboxes in
 * place (a restarted agent adopts them), unless the lab is being torn down.
 */
public interface NodeAgent extends AutoCloseable {

    String nodeName();

    /**
     * Restarts the node's Service proxy as a kube-proxy restart does: the running one stops (its rules stay in the
     * kernel, so traffic keeps flowing), and a new one lists every Service and EndpointSlice again and replaces the
     * rules in one full sync. Pods, probes and policy are not touched.
     *
     * @throws IllegalStateException when this agent runs no Service proxy
     */
    default void restartServiceProxy() {
        throw new IllegalStateException("the node agent of " + nodeName() + " runs no Service proxy");
    }

    @Override
    void close();
}
