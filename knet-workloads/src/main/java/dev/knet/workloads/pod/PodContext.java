package dev.knet.workloads.pod;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * What a built-in workload knows about the pod it runs in.
 *
 * @param namespace     the pod's Kubernetes namespace
 * @param name          the pod's name
 * @param hostname      what the workload reports as its hostname (the pod name, or spec.hostname)
 * @param podIp         the pod's IP address
 * @param netns         the pod's network namespace name (knet-...)
 * @param sockets       where the pod's sockets are created (inside {@code netns})
 * @param resolver      name resolution as the pod's resolv.conf says
 * @param env           the container's environment
 * @param listenAddress the address servers bind to: the wildcard in a pod, loopback in tests
 */
public record PodContext(String namespace, String name, String hostname, InetAddress podIp, String netns,
                         PodSockets sockets, PodResolver resolver, Map<String, String> env,
                         InetAddress listenAddress) {

    public PodContext {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(podIp, "podIp");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(sockets, "sockets");
        Objects.requireNonNull(resolver, "resolver");
        env = Map.copyOf(env);
        Objects.requireNonNull(listenAddress, "listenAddress");
    }

    /** A context whose servers listen on every address of the pod (what a container process does). */
    public static PodContext of(String namespace, String name, String hostname, InetAddress podIp, String netns,
                                PodSockets sockets, PodResolver resolver, Map<String, String> env) {
        return new PodContext(namespace, name, hostname, podIp, netns, sockets, resolver, env, wildcard());
    }

    public String env(String key, String fallback) {
        String value = env.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    public PodContext withEnv(Map<String, String> newEnv) {
        return new PodContext(namespace, name, hostname, podIp, netns, sockets, resolver, newEnv, listenAddress);
    }

    private static InetAddress wildcard() {
        return InetAddress.ofLiteral("0.0.0.0");
    }
}
