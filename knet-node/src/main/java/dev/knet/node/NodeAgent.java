package dev.knet.node;

/**
 * A running node agent: kubelet-like pod lifecycle plus the node's Service proxy and policy
 * enforcement. Closing it stops watching and stops its containers, but leaves pod sandboxes in
 * place (a restarted agent adopts them), unless the lab is being torn down.
 */
public interface NodeAgent extends AutoCloseable {

    String nodeName();

    @Override
    void close();
}
