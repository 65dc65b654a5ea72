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
 * What one node's services table should hold for a Service's cluster IP, derived from the API the way the
 * agent derives it: the agent's own translator reads the Service and its EndpointSlices, and the endpoints
 * are chosen by its own EndpointSelector (ready ones; when none is ready, serving-but-terminating ones;
 * under internalTrafficPolicy Local only this node's). An empty set means "rejects or drops".
 */
final class ServiceExpectation {

    private ServiceExpectation() {
    }

    /** Per cluster-IP port, the endpoints (address:port) the node should DNAT to. */
    static Map<VipPort, SortedSet<String>> forNode(Service service, List<EndpointSlice> slices, String nodeName) {
        ServiceTranslator translator = new ServiceTranslator(nodeName);
        ServiceInfo info = translator.service(service);
        List<EndpointInfo> endpoints = translator.endpoints(slices);
        Map<VipPort, SortedSet<String>> out = new LinkedHashMap<>();
        for (ServiceInfo.Port port : info.ports()) {
            SortedSet<String> backends = new TreeSet<>();
            EndpointSelector.select(port, endpoints, info.internalTrafficPolicy())
                    .forEach(b -> backends.add(b.ip() + ":" + b.port()));
            out.put(new VipPort(info.clusterIp(), port.protocol().nft(), port.port()), backends);
        }
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
