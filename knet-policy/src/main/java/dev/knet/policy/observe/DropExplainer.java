package dev.knet.policy.observe;

import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.policy.PodUniverse;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.PolicyException;
import dev.knet.policy.Protocol;
import dev.knet.policy.Verdict;

import java.time.Instant;
import java.util.Optional;

/**
 * Explains a dropped packet with the model: the packet's flow (source address to destination address and port)
 * is checked against the current cluster objects, as {@code knet policy check} would. The packet was seen after
 * the service proxy's DNAT, so its destination is the endpoint, which is what policy applies to.
 */
final class DropExplainer {

    private final ModelCache model;
    private final DropRuleLookup rules;

    DropExplainer(ModelCache model, DropRuleLookup rules) {
        this.model = model;
        this.rules = rules;
    }

    /** Builds the first model now, so an unreadable cluster is reported before any packet arrives. */
    void prepare() {
        try {
            model.engine();
        } catch (RuntimeException e) {
            throw new PolicyException("cannot read the cluster state: " + e.getMessage(), e);
        }
    }

    FlowLine explain(Instant time, String node, NflogPacket packet) {
        PolicyEngine engine = model.engine();
        PodUniverse pods = engine.index().universe();
        FlowLine.Peer src = peer(pods, packet.srcIp(), packet.srcPort());
        FlowLine.Peer dst = peer(pods, packet.dstIp(), packet.dstPort());
        String prefix = packet.prefix().strip();
        Optional<DropRuleSite> site = DropRuleLookup.id(prefix).flatMap(id -> rules.site(node, id));
        Optional<Protocol> protocol = protocol(packet);
        FlowLine.Agreement agreement = FlowLine.Agreement.UNKNOWN;
        String reason;
        if (protocol.isEmpty()) {
            reason = "the model does not judge " + packet.protocol() + " (NetworkPolicy ports name TCP, UDP and SCTP)";
        } else if (!packet.hasPorts()) {
            reason = "the model cannot judge a packet without its ports (a fragment, or cut short)";
        } else {
            try {
                Verdict v = engine.check(packet.srcIp(), packet.dstIp(), packet.dstPort(), protocol.get());
                agreement = v.allowed() ? FlowLine.Agreement.DISAGREES : FlowLine.Agreement.AGREES;
                reason = v.reason();
            } catch (PolicyException | IllegalArgumentException e) {
                reason = "the model cannot judge this flow: " + e.getMessage();
            }
        }
        return new FlowLine(time, node, FlowLine.Verdict.DROPPED, src, dst, packet.protocol().name(), prefix, site,
                agreement, reason);
    }

    static FlowLine.Peer peer(PodUniverse pods, String ip, int port) {
        int id = pods.idOfIp(ip);
        return new FlowLine.Peer(ip, port, id < 0 ? Optional.empty() : Optional.of(pods.pod(id).key()));
    }

    private static Optional<Protocol> protocol(NflogPacket packet) {
        return switch (packet.protocol()) {
            case TCP -> Optional.of(Protocol.TCP);
            case UDP -> Optional.of(Protocol.UDP);
            case SCTP -> Optional.of(Protocol.SCTP);
            case ICMP, ICMPV6, OTHER -> Optional.empty();
        };
    }
}
