package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.conntrack.ConntrackSource;
import dev.knet.dataplane.nflog.IpProtocol;

import java.util.List;

/** Conntrack events fed by the test: each {@link #confirm} call is one batch the reader receives. */
final class FakeConntrackSource extends FakeBatchSource<ConntrackFlow> implements ConntrackSource {

    FakeConntrackSource confirm(ConntrackFlow... flows) {
        add(List.of(flows));
        return this;
    }

    /** A flow without NAT: the reply is the original turned around. */
    static ConntrackFlow flow(IpProtocol protocol, String src, int srcPort, String dst, int dstPort) {
        return new ConntrackFlow(protocol, new ConntrackFlow.Tuple(src, srcPort, dst, dstPort),
                new ConntrackFlow.Tuple(dst, dstPort, src, srcPort));
    }

    /** A TCP flow to a ClusterIP that the proxy sent to {@code endpoint}. */
    static ConntrackFlow dnat(String src, int srcPort, String clusterIp, int port, String endpoint, int targetPort) {
        return new ConntrackFlow(IpProtocol.TCP, new ConntrackFlow.Tuple(src, srcPort, clusterIp, port),
                new ConntrackFlow.Tuple(endpoint, targetPort, src, srcPort));
    }
}
