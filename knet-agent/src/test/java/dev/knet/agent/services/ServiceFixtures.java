package dev.knet.agent.services;

import dev.knet.agent.services.EndpointInfo.Conditions;
import dev.knet.agent.services.ServiceInfo.Port;
import dev.knet.agent.services.ServiceInfo.SessionAffinity;
import dev.knet.agent.services.ServiceInfo.TrafficPolicy;
import dev.knet.agent.services.ServiceInfo.Type;
import dev.knet.model.net.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A small table of services on node-a (198.18.0.2, pods 10.244.1.0/24); node-b holds 10.244.2.0/24. */
final class ServiceFixtures {

    static final NodeInfo NODE = new NodeInfo("node-a", List.of("198.18.0.2"), Cidr.parse("10.244.1.0/24"),
            Cidr.parse("10.244.0.0/16"), "eth0");

    final Map<ServiceKey, ServiceInfo> services = new TreeMap<>();
    final Map<ServiceKey, List<EndpointInfo>> endpoints = new TreeMap<>();

    static ServiceFixtures standard() {
        ServiceFixtures f = new ServiceFixtures();
        f.add(svc("web", "10.96.0.10", 0), ep("10.244.1.5", 8080, Conditions.READY), ep("10.244.2.5", 8080, Conditions.READY));
        f.add(ServiceInfo.clusterIp(key("empty"), "10.96.0.11",
                List.of(new Port("http", Protocol.TCP, 80, 0), new Port("dns", Protocol.UDP, 53, 0))));
        f.add(svc("np", "10.96.0.12", 30080).withType(Type.NODE_PORT), ep("10.244.2.6", 8080, Conditions.READY));
        f.add(svc("np-local", "10.96.0.13", 30081).withType(Type.NODE_PORT).withPolicies(TrafficPolicy.LOCAL, TrafficPolicy.CLUSTER),
                ep("10.244.1.7", 8080, Conditions.READY), ep("10.244.2.7", 8080, Conditions.READY));
        f.add(svc("np-local-none", "10.96.0.14", 30082).withType(Type.NODE_PORT).withPolicies(TrafficPolicy.LOCAL, TrafficPolicy.CLUSTER),
                ep("10.244.2.8", 8080, Conditions.READY));
        f.add(svc("itp", "10.96.0.15", 0).withPolicies(TrafficPolicy.CLUSTER, TrafficPolicy.LOCAL), ep("10.244.2.9", 8080, Conditions.READY));
        f.add(svc("term", "10.96.0.16", 0), ep("10.244.2.10", 8080, Conditions.TERMINATING_SERVING),
                ep("10.244.2.11", 8080, Conditions.NOT_READY));
        f.add(svc("sticky", "10.96.0.17", 0).withAffinity(new SessionAffinity.ClientIp(Duration.ofSeconds(10800))),
                ep("10.244.1.20", 8080, Conditions.READY), ep("10.244.2.20", 8080, Conditions.READY));
        f.add(svc("lb", "10.96.0.18", 30083).withType(Type.LOAD_BALANCER).withLoadBalancerIps(List.of("198.18.0.100")),
                ep("10.244.2.21", 8080, Conditions.READY));
        f.add(svc("lb-local", "10.96.0.19", 30084).withType(Type.LOAD_BALANCER).withLoadBalancerIps(List.of("198.18.0.101"))
                .withPolicies(TrafficPolicy.LOCAL, TrafficPolicy.CLUSTER), ep("10.244.2.22", 8080, Conditions.READY));
        return f;
    }

    static ServiceKey key(String name) {
        return new ServiceKey("default", name);
    }

    static ServiceInfo svc(String name, String ip, int nodePort) {
        return ServiceInfo.clusterIp(key(name), ip, List.of(new Port("http", Protocol.TCP, 80, nodePort)));
    }

    static EndpointInfo ep(String ip, int port, Conditions c) {
        String node = NODE.podCidr().contains(ip) ? "node-a" : "node-b";
        return new EndpointInfo(ip, Map.of("http", port), c, node, node.equals(NODE.name()));
    }

    void add(ServiceInfo s, EndpointInfo... eps) {
        services.put(s.key(), s);
        endpoints.put(s.key(), List.of(eps));
    }

    ServiceRuleset ruleset() {
        return new ServiceRulesetGenerator(NODE).generate(services, endpoints);
    }
}
