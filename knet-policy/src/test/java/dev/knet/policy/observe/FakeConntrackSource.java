package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.conntrack.ConntrackSource;
import dev.knet.dataplane.nflog.IpProtocol;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Conntrack events fed by the test: each {@link #confirm} call is one batch the reader receives. */
final class FakeConntrackSource implements ConntrackSource {

    private final LinkedBlockingQueue<List<ConntrackFlow>> batches = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    FakeConntrackSource confirm(ConntrackFlow... flows) {
        batches.add(List.of(flows));
        return this;
    }

    boolean closed() {
        return closed;
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

    @Override
    public List<ConntrackFlow> receive() {
        try {
            List<ConntrackFlow> next = batches.poll(20, TimeUnit.MILLISECONDS); // a bounded wait, like the socket's
            return next == null ? List.of() : next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public long lost() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
