package dev.knet.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one node agent needs to run: which node it is, the network namespace it programs
 * (in the lab, the node's namespace; on a real node, the host's), and where the API server is.
 *
 * @param clusterName   the lab's name (prefixes pod namespace names: knet-CLUSTER-...)
 * @param nodeName      the Node object this agent acts for
 * @param nodeNetns     the node's network namespace name (starts with "knet-")
 * @param apiUrl        the Kubernetes API base URL (list/watch only goes through it)
 * @param clusterDnsIp  cluster DNS Service IP written into pods' resolv.conf (10.96.0.10)
 * @param clusterDomain the DNS zone (cluster.local)
 * @param stateDir      this node's folder: CNI result cache, container logs, emptyDir volumes
 * @param cniConfList   the CNI network configuration list (JSON) used for every pod sandbox
 * @param cniBinDir     where CNI plugin executables live (CNI_PATH)
 */
public record NodeAgentConfig(String clusterName, String nodeName, String nodeNetns, String apiUrl,
                              String clusterDnsIp, String clusterDomain, Path stateDir, String cniConfList,
                              Path cniBinDir) {

    public NodeAgentConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(nodeNetns, "nodeNetns");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(cniConfList, "cniConfList");
        if (!nodeNetns.startsWith("knet-")) {
            throw new IllegalArgumentException("node namespace " + nodeNetns + " is not a knet namespace");
        }
    }
}
