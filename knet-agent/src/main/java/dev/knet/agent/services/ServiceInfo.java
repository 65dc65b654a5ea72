package dev.knet.agent.services;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the proxy needs to know about one Service, cut down from the API object at the edge
 * (see {@link ServiceTranslator}). A headless Service has no cluster IP and is not proxied.
 */
public record ServiceInfo(
        ServiceKey key,
        String clusterIp,
        List<Port> ports,
        Type type,
        TrafficPolicy externalTrafficPolicy,
        TrafficPolicy internalTrafficPolicy,
        SessionAffinity sessionAffinity,
        List<String> loadBalancerIps,
        int healthCheckNodePort,
        List<String> externalIps) {

    public ServiceInfo {
        Objects.requireNonNull(key, "key");
        ports = List.copyOf(ports);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(externalTrafficPolicy, "externalTrafficPolicy");
        Objects.requireNonNull(internalTrafficPolicy, "internalTrafficPolicy");
        Objects.requireNonNull(sessionAffinity, "sessionAffinity");
        loadBalancerIps = List.copyOf(loadBalancerIps);
        externalIps = List.copyOf(externalIps);
    }

    /** Without spec.externalIPs. */
    public ServiceInfo(ServiceKey key, String clusterIp, List<Port> ports, Type type, TrafficPolicy externalTrafficPolicy,
                       TrafficPolicy internalTrafficPolicy, SessionAffinity sessionAffinity, List<String> loadBalancerIps,
                       int healthCheckNodePort) {
        this(key, clusterIp, ports, type, externalTrafficPolicy, internalTrafficPolicy, sessionAffinity, loadBalancerIps,
                healthCheckNodePort, List.of());
    }

    /**
     * The addresses outside the cluster that lead to this service: its LoadBalancer ingress addresses and its
     * spec.externalIPs (any type, like kube-proxy). External traffic policy applies to both.
     */
    public List<String> externalVips() {
        if (type != Type.LOAD_BALANCER) {
            return externalIps;
        }
        List<String> out = new java.util.ArrayList<>(loadBalancerIps);
        externalIps.stream().filter(ip -> !out.contains(ip)).forEach(out::add);
        return out;
    }

    /** A plain ClusterIP service with Cluster policies and no affinity: the common case, handy in tests. */
    public static ServiceInfo clusterIp(ServiceKey key, String clusterIp, List<Port> ports) {
        return new ServiceInfo(key, clusterIp, ports, Type.CLUSTER_IP, TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER,
                new SessionAffinity.None(), List.of(), 0);
    }

    public boolean isHeadless() {
        return clusterIp == null || clusterIp.isBlank() || "None".equals(clusterIp);
    }

    public ServiceInfo withType(Type t) {
        return new ServiceInfo(key, clusterIp, ports, t, externalTrafficPolicy, internalTrafficPolicy, sessionAffinity, loadBalancerIps, healthCheckNodePort, externalIps);
    }

    public ServiceInfo withPolicies(TrafficPolicy external, TrafficPolicy internal) {
        return new ServiceInfo(key, clusterIp, ports, type, external, internal, sessionAffinity, loadBalancerIps, healthCheckNodePort, externalIps);
    }

    public ServiceInfo withAffinity(SessionAffinity affinity) {
        return new ServiceInfo(key, clusterIp, ports, type, externalTrafficPolicy, internalTrafficPolicy, affinity, loadBalancerIps, healthCheckNodePort, externalIps);
    }

    public ServiceInfo withExternalIps(List<String> ips) {
        return new ServiceInfo(key, clusterIp, ports, type, externalTrafficPolicy, internalTrafficPolicy, sessionAffinity, loadBalancerIps, healthCheckNodePort, ips);
    }

    public ServiceInfo withLoadBalancerIps(List<String> ips) {
        return new ServiceInfo(key, clusterIp, ports, type, externalTrafficPolicy, internalTrafficPolicy, sessionAffinity, ips, healthCheckNodePort, externalIps);
    }

    /** A service port; nodePort is 0 when none is allocated. The target port is resolved per endpoint. */
    public record Port(String name, Protocol protocol, int port, int nodePort) {
        public Port {
            name = name == null ? "" : name;
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    public enum Type { CLUSTER_IP, NODE_PORT, LOAD_BALANCER }

    public enum TrafficPolicy { CLUSTER, LOCAL }

    public sealed interface SessionAffinity {
        record None() implements SessionAffinity {
        }

        record ClientIp(Duration timeout) implements SessionAffinity {
            public ClientIp {
                if (timeout.isNegative() || timeout.isZero()) {
                    throw new IllegalArgumentException("affinity timeout must be positive");
                }
            }
        }
    }
}
