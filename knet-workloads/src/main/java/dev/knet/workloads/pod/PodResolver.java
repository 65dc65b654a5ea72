package dev.knet.workloads.pod;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution as seen from inside a pod. A workload asks for a host and the port it means to
 * dial and gets socket addresses back: the DNS resolver keeps the port, and a test stub may point
 * a service name at a loopback port of its choosing.
 */
@FunctionalInterface
public interface PodResolver {

    /** The addresses to try, in order; never empty. */
    List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException;
}
