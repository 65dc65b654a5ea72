package dev.knet.cli.print;

import dev.knet.agent.services.EndpointInfo;
import dev.knet.agent.services.EndpointSelector;
import dev.knet.agent.services.ServiceInfo;
import dev.knet.agent.services.ServiceTranslator;
import dev.knet.cli.print.NodeServiceTable.VipPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one node's services table should hold for a Service, derived from the API the way the agent derives it:
 * the agent's own translator reads the Service and its EndpointSlices, and the endpoints are chosen by its own
 * EndpointSelector (ready ones; when none is ready, serving-but-terminating ones). The cluster IP follows
 * internalTrafficPolicy; LoadBalancer ingress addresses, externalIPs and NodePorts follow externalTrafficPolicy
 * (Local: only this node's endpoints). An empty set means "rejects or drops".
 */
final class ServiceExpectation {

    private ServiceExpectation() {
    }

    /** Per cluster IP, external address and NodePort of each port, the endpoints (address:port) to DNAT to. */
    static Map<VipPort, SortedSet<String>> forNode(Service service, List<EndpointSlice> slices, String nodeName) {
        ServiceTranslator translator = new ServiceTranslator(nodeName);
        ServiceInfo info = translator.service(service);
        List<EndpointInfo> endpoints = translator.endpoints(slices);
        Map<VipPort, SortedSet<String>> out = new LinkedHashMap<>();
        for (ServiceInfo.Port port : info.ports()) {
            String protocol = port.protocol().nft();
            out.put(new VipPort(info.clusterIp(), protocol, port.port()),
                    backends(port, endpoints, info.internalTrafficPolicy()));
            SortedSet<String> external = backends(port, endpoints, info.externalTrafficPolicy());
            for (String ip : info.externalVips()) {
                out.put(new VipPort(ip, protocol, port.port()), external);
            }
            if (info.type() != ServiceInfo.Type.CLUSTER_IP && port.nodePort() > 0) {
                out.put(VipPort.nodePort(protocol, port.nodePort()), external);
            }
        }
        return out;
    }

    private static SortedSet<String> backends(ServiceInfo.Port port, List<EndpointInfo> endpoints, ServiceInfo.TrafficPolicy policy) {
        SortedSet<String> out = new TreeSet<>();
        EndpointSelector.select(port, endpoints, policy).forEach(b -> out.add(b.ip() + ":" + b.port()));
        return out;
    }

    /** True when the node's table holds every port of the Service as expected. */
    static boolean programmed(Map<VipPort, SortedSet<String>> expected, NodeServiceTable table) {
        for (Map.Entry<VipPort, SortedSet<String>> e : expected.entrySet()) {
            SortedSet<String> actual = table.backends().get(e.getKey());
            boolean ok = e.getValue().isEmpty()
                    ? actual == null && table.noEndpoints().contains(e.getKey())
                    : e.getValue().equals(actual) && !table.noEndpoints().contains(e.getKey());
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
