package dev.knet.policy;

import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers "can FROM reach TO on PORT/PROTO, and why" over one snapshot of cluster objects.
 * Service destinations are translated to endpoints first, because policy applies after DNAT.
 */
public final class PolicyEngine {

    private final PolicyIndex index;
    private final DirectionEvaluator evaluator;
    private final ServiceResolver services;

    public PolicyEngine(ClusterSnapshot snapshot) {
        this.index = PolicyIndex.of(snapshot);
        this.evaluator = new DirectionEvaluator(index);
        this.services = new ServiceResolver(snapshot, index.universe());
    }

    public static PolicyEngine of(List<? extends HasMetadata> objects) {
        return new PolicyEngine(ClusterSnapshot.of(objects));
    }

    public PolicyIndex index() {
        return index;
    }

    /** Parses FROM and TO (see {@link FlowEndpoint#parse}) and checks the flow. */
    public Verdict check(String from, String to, int port, Protocol protocol) {
        return check(FlowEndpoint.parse(from), FlowEndpoint.parse(to), port, protocol);
    }

    public Verdict check(FlowEndpoint from, FlowEndpoint to, int port, Protocol protocol) {
        PodUniverse universe = index.universe();
        int srcPod = resolvePod(from);
        String srcName = srcPod >= 0 ? universe.pod(srcPod).key() : from.toString();
        byte[] srcIp = srcPod >= 0 ? universe.ip(srcPod) : IpAddresses.parse(((FlowEndpoint.Address) from).ip());
        Optional<Service> service = service(to);
        if (service.isEmpty()) {
            int dstPod = resolvePod(to);
            String ip = dstPod >= 0 ? universe.pod(dstPod).ip() : ((FlowEndpoint.Address) to).ip();
            EndpointVerdict v = evaluate(srcPod, srcName, srcIp, new Backend(dstPod, ip, port), protocol);
            return new Verdict(srcName, v.destination(), port, protocol, v.allowed(), v.reason(), List.of(v));
        }
        Service svc = service.get();
        String svcName = "service " + svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
        List<Backend> backends = services.backends(svc, port, protocol);
        if (backends.isEmpty()) {
            return new Verdict(srcName, svcName, port, protocol, false,
                    "denied: " + svcName + " has no ready endpoints for " + protocol + "/" + port, List.of());
        }
        List<EndpointVerdict> verdicts = new ArrayList<>();
        for (Backend backend : backends) {
            verdicts.add(evaluate(srcPod, srcName, srcIp, backend, protocol));
        }
        long allowed = verdicts.stream().filter(EndpointVerdict::allowed).count();
        String head = svcName + " " + protocol + "/" + port + " -> " + verdicts.size() + " endpoint(s) after DNAT, "
                + allowed + " allowed: ";
        String detail = String.join(" | ", verdicts.stream().map(v -> v.destination() + ":" + v.port() + " " + v.reason()).toList());
        return new Verdict(srcName, svcName, port, protocol, allowed == verdicts.size(), head + detail, verdicts);
    }

    private EndpointVerdict evaluate(int srcPod, String srcName, byte[] srcIp, Backend dst, Protocol protocol) {
        PodUniverse universe = index.universe();
        String dstName = dst.pod() >= 0 ? universe.pod(dst.pod()).key() : dst.ip();
        if (srcPod >= 0 && srcPod == dst.pod()) {
            return new EndpointVerdict(dstName, dst.port(), true, null, null,
                    "allowed: a pod reaching itself is loopback traffic, which policy does not govern");
        }
        byte[] dstIp = dst.pod() >= 0 ? universe.ip(dst.pod()) : IpAddresses.parse(dst.ip());
        Decision egress = srcPod < 0 ? null
                : evaluator.decide(Direction.EGRESS, srcPod, dst.pod(), dstIp, dst.port(), protocol);
        Decision ingress = dst.pod() < 0 ? null
                : evaluator.decide(Direction.INGRESS, dst.pod(), srcPod, srcIp, dst.port(), protocol);
        String egressText = Reasons.direction(egress, Direction.EGRESS, srcName, dstName, dst.port(), protocol);
        String ingressText = Reasons.direction(ingress, Direction.INGRESS, dstName, srcName, dst.port(), protocol);
        boolean allowed = (egress == null || egress.allowed()) && (ingress == null || ingress.allowed());
        List<String> denying = new ArrayList<>();
        if (egress != null && !egress.allowed()) {
            denying.add(egressText);
        }
        if (ingress != null && !ingress.allowed()) {
            denying.add(ingressText);
        }
        return new EndpointVerdict(dstName, dst.port(), allowed, egress, ingress,
                Reasons.overall(allowed, List.of(egressText, ingressText), denying));
    }

    /** The pod id for a pod reference or a pod's address; -1 for an address outside the pod set. */
    private int resolvePod(FlowEndpoint endpoint) {
        return switch (endpoint) {
            case FlowEndpoint.PodRef pod -> {
                int id = index.universe().idOf(pod.toString());
                if (id < 0) {
                    throw new PolicyException("no pod " + pod);
                }
                yield id;
            }
            case FlowEndpoint.Address address -> index.universe().idOfIp(address.ip());
            case FlowEndpoint.ServiceRef svc -> throw new PolicyException("a Service cannot be the source of a flow: " + svc);
        };
    }

    private Optional<Service> service(FlowEndpoint to) {
        return switch (to) {
            case FlowEndpoint.ServiceRef ref -> Optional.of(services.find(ref.namespace(), ref.name())
                    .orElseThrow(() -> new PolicyException("no Service " + ref.namespace() + "/" + ref.name())));
            case FlowEndpoint.PodRef pod -> index.universe().idOf(pod.toString()) >= 0 ? Optional.empty()
                    : services.find(pod.namespace(), pod.name());
            case FlowEndpoint.Address address -> index.universe().idOfIp(address.ip()) >= 0 ? Optional.empty()
                    : services.byClusterIp(address.ip());
        };
    }
}
