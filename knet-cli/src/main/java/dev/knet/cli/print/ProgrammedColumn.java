package dev.knet.cli.print;

import dev.knet.cli.print.NodeServiceTable.VipPort;
import dev.knet.cli.print.ServiceTables.NodeReadout;
import dev.knet.cli.print.ServiceTables.Readout;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * The PROGRAMMED cell: on how many nodes the Service proxy's table matches the API for this Service's cluster
 * IP, its LoadBalancer and external addresses and its NodePorts ("3/3 nodes"); "-" when nothing is to be programmed (headless, ExternalName, no selector and no slices);
 * "?" when no node's table could be read. A node counts when, for every port, its buckets DNAT to exactly the
 * endpoints the agent would choose now, or it rejects when there are none. Unreadable nodes do not count.
 */
final class ProgrammedColumn {

    static final String NOTHING_TO_PROGRAM = "-";
    static final String UNKNOWN = "?";

    private ProgrammedColumn() {
    }

    static String cell(Service service, List<EndpointSlice> slices, Supplier<Readout> readout) {
        if (!proxied(service, slices)) {
            return NOTHING_TO_PROGRAM;
        }
        return switch (readout.get()) {
            case Readout.Unavailable u -> UNKNOWN;
            case Readout.Nodes(var byNode) -> count(service, slices, byNode);
        };
    }

    private static String count(Service service, List<EndpointSlice> slices, Map<String, NodeReadout> byNode) {
        int read = 0;
        int programmed = 0;
        for (Map.Entry<String, NodeReadout> node : byNode.entrySet()) {
            switch (node.getValue()) {
                case NodeReadout.Unreadable u -> {
                    // counted in the total only: a node we cannot see is not known to be programmed
                }
                case NodeReadout.Read(var table) -> {
                    read++;
                    Map<VipPort, SortedSet<String>> expected = ServiceExpectation.forNode(service, slices, node.getKey());
                    if (ServiceExpectation.programmed(expected, table)) {
                        programmed++;
                    }
                }
            }
        }
        return read == 0 && !byNode.isEmpty() ? UNKNOWN : programmed + "/" + byNode.size() + " nodes";
    }

    /** Whether the agent programs this Service's cluster IP at all. */
    static boolean proxied(Service service, List<EndpointSlice> slices) {
        var spec = service.getSpec();
        if (spec == null || "ExternalName".equals(spec.getType())) {
            return false;
        }
        String ip = spec.getClusterIP();
        if (ip == null || ip.isBlank() || "None".equals(ip)) {
            return false;
        }
        boolean selectorless = spec.getSelector() == null || spec.getSelector().isEmpty();
        return !(selectorless && slices.isEmpty());
    }
}
