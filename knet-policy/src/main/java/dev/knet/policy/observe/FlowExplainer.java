package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.policy.EndpointVerdict;
import dev.knet.policy.PodUniverse;
import dev.knet.policy.PolicyException;
import dev.knet.policy.Protocol;
import dev.knet.policy.Verdict;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Explains a connection the node let through (a conntrack NEW event) with the model. The original tuple is the
 * client's first packet; after a Service's DNAT the reply tuple's source is the endpoint, and policy applies to
 * the flow to the endpoint, so that is what the model is asked about and what the line names, with the Service
 * the client asked for beside it.
 *
 * <p>Not every confirmed connection went through the policy chain. Skipped: protocols NetworkPolicy cannot name
 * (ICMP and others); flows from or to the node itself (they take the output and input hooks, which policy does
 * not filter, e.g. health probes, BGP, the API); and flows where the model knows neither end (not a pod and not a
 * Service address), which policy has no opinion about.
 */
final class FlowExplainer {

    private final ModelCache model;

    FlowExplainer(ModelCache model) {
        this.model = model;
    }

    /** The line for a forwarded flow; empty when the flow is not one policy judges (see the class comment). */
    Optional<FlowLine> explain(Instant time, String node, ConntrackFlow flow) {
        Optional<Protocol> protocol = switch (flow.protocol()) {
            case TCP -> Optional.of(Protocol.TCP);
            case UDP -> Optional.of(Protocol.UDP);
            case SCTP -> Optional.of(Protocol.SCTP);
            case ICMP, ICMPV6, OTHER -> Optional.empty();
        };
        if (protocol.isEmpty()) {
            return Optional.empty();
        }
        ClusterModel cluster = model.model();
        PodUniverse pods = cluster.engine().index().universe();
        ConntrackFlow.Tuple original = flow.original();
        Set<String> local = cluster.localAddresses(node);
        String src = ClusterModel.canonical(original.srcIp());
        String endpoint = ClusterModel.canonical(flow.endpointIp());
        if (local.contains(src) || local.contains(endpoint)) {
            return Optional.empty();
        }
        Optional<String> service = cluster.service(original.dstIp(), original.dstPort(), protocol.get());
        boolean known = pods.idOfIp(src) >= 0 || pods.idOfIp(endpoint) >= 0 || service.isPresent();
        if (!known) {
            return Optional.empty();
        }
        Optional<FlowLine.ServiceHop> via = flow.destinationNatted()
                ? Optional.of(new FlowLine.ServiceHop(service, original.dstIp(), original.dstPort()))
                : Optional.empty();
        FlowLine.Agreement agreement;
        String reason;
        try {
            Verdict v = cluster.engine().check(src, endpoint, flow.endpointPort(), protocol.get());
            agreement = allowedHere(cluster, node, src, endpoint, v) ? FlowLine.Agreement.AGREES
                    : FlowLine.Agreement.DISAGREES;
            reason = v.reason();
        } catch (PolicyException | IllegalArgumentException e) {
            agreement = FlowLine.Agreement.UNKNOWN;
            reason = "the model cannot judge this flow: " + e.getMessage();
        }
        return Optional.of(new FlowLine(time, node, FlowLine.Verdict.FORWARDED,
                DropExplainer.peer(pods, src, original.srcPort()), DropExplainer.peer(pods, endpoint, flow.endpointPort()),
                flow.protocol().name(), "", Optional.empty(), agreement, reason, via));
    }

    /**
     * Whether this node was right to let the flow through: a node enforces egress for its own pods and ingress
     * for its own pods, so the source's node forwards a flow that the destination's node will drop, and that
     * is no disagreement. A node that holds neither end (it only routes) is judged by the whole verdict.
     */
    private static boolean allowedHere(ClusterModel cluster, String node, String src, String endpoint, Verdict v) {
        boolean srcHere = cluster.onNode(src, node);
        boolean dstHere = cluster.onNode(endpoint, node);
        if (!srcHere && !dstHere || v.endpoints().size() != 1) {
            return v.allowed();
        }
        EndpointVerdict e = v.endpoints().getFirst();
        boolean egress = !srcHere || e.egress() == null || e.egress().allowed();
        boolean ingress = !dstHere || e.ingress() == null || e.ingress().allowed();
        return e.destination().equals(v.source()) || egress && ingress;
    }
}
