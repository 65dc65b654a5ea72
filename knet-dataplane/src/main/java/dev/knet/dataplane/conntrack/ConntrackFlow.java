package dev.knet.dataplane.conntrack;

import dev.knet.dataplane.nflog.IpProtocol;

import java.util.Objects;

/**
 * One connection conntrack confirmed: its protocol and both tuples. The original tuple is the first packet as it
 * arrived (before any NAT); the reply tuple is what the answer will look like, so after a Service's DNAT its
 * source is the chosen endpoint, and after SNAT its destination is the translated source.
 */
public record ConntrackFlow(IpProtocol protocol, Tuple original, Tuple reply) {

    /** One direction of the flow; ports are -1 for protocols without them (ICMP and others). */
    public record Tuple(String srcIp, int srcPort, String dstIp, int dstPort) {
        public Tuple {
            Objects.requireNonNull(srcIp, "srcIp");
            Objects.requireNonNull(dstIp, "dstIp");
        }
    }

    public ConntrackFlow {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(reply, "reply");
    }

    /** The destination was rewritten (a Service's DNAT): the reply comes from elsewhere than the packet went. */
    public boolean destinationNatted() {
        return !reply.srcIp().equals(original.dstIp()) || reply.srcPort() != original.dstPort();
    }

    /** Where the flow really goes: the reply's source, which is the endpoint after DNAT (else the destination). */
    public String endpointIp() {
        return reply.srcIp();
    }

    public int endpointPort() {
        return reply.srcPort();
    }
}
