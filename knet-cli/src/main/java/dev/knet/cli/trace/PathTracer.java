package dev.knet.cli.trace;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.RecordData;
import dev.knet.dns.index.RecordTypes;
import dev.knet.dns.index.ResourceRecord;
import dev.knet.dns.index.ZoneAnswer;
import dev.knet.dns.index.ZoneResolver;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.resolv.ResolvConf;
import dev.knet.lab.LabMode;
import dev.knet.model.net.IpAddresses;
import dev.knet.policy.EndpointVerdict;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Protocol;
import dev.knet.policy.Verdict;
import dev.knet.workloads.pod.ResolvConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Walks one connection through the cluster as its packets would go, from the cluster's objects alone:
 * the source pod's resolver and the cluster zone (DNS), the Service's DNAT and its choice of endpoint,
 * the hops between nodes in the lab's pod-network mode, and the NetworkPolicy verdict of each direction
 * at each endpoint (the policy model, which the node agents enforce). Pure: no sockets, no root.
 */
public final class PathTracer {

    private final List<HasMetadata> objects;
    private final LabMode mode;
    private final String clusterDnsIp;
    private final String zone;
    private final PolicyEngine engine;

    /**
     * @param mode         the lab's pod-network mode, or null when unknown (manifests without a lab)
     * @param clusterDnsIp the kube-dns Service address written into pods' resolv.conf
     */
    public PathTracer(List<HasMetadata> objects, LabMode mode, String clusterDnsIp, String zone) {
        this.objects = List.copyOf(objects);
        this.mode = mode;
        this.clusterDnsIp = Objects.requireNonNull(clusterDnsIp, "clusterDnsIp");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.engine = PolicyEngine.of(objects);
    }

    /**
     * @param from a pod (ns/pod) or an address
     * @param to   a pod (ns/pod), a Service (svc/ns/name), an address, or a name a pod would look up
     */
    public List<TraceStep> trace(String from, String to, int port, Protocol protocol) {
        List<TraceStep> steps = new ArrayList<>();
        Optional<Pod> source = from.contains("/") ? pod(from) : podByIp(from);
        if (from.contains("/") && source.isEmpty()) {
            throw new IllegalArgumentException("no pod " + from);
        }
        steps.add(new TraceStep.Source(source.map(p -> List.of(describe(p)))
                .orElseGet(() -> List.of(from + ", outside the pod network"))));
        List<String> destinations = new ArrayList<>();
        if (isName(to)) {
            TraceStep.Dns dns = resolve(to, source.orElse(null), destinations);
            steps.add(dns);
            if (destinations.isEmpty()) {
                steps.add(new TraceStep.Result(List.of("FAILED: " + to + " does not resolve, so nothing is dialled")));
                return steps;
            }
        } else {
            destinations.add(to);
        }
        String fromRef = source.map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).orElse(from);
        boolean allAllowed = true;
        int reachable = 0;
        int total = 0;
        for (String destination : destinations) {
            Verdict verdict = engine.check(fromRef, destination, port, protocol);
            serviceOf(destination).ifPresent(svc -> steps.add(serviceStep(svc, port, protocol, verdict, source)));
            if (verdict.endpoints().isEmpty()) {
                allAllowed = false;
                total++;
                continue;
            }
            boolean viaService = serviceOf(destination).isPresent();
            for (EndpointVerdict e : verdict.endpoints()) {
                steps.add(endpointStep(source, e, protocol, viaService));
                total++;
                if (e.allowed()) {
                    reachable++;
                } else {
                    allAllowed = false;
                }
            }
        }
        String outcome = allAllowed ? "ALLOWED" : reachable > 0 ? "PARTLY ALLOWED" : "DENIED";
        steps.add(new TraceStep.Result(List.of(outcome + ": " + reachable + " of " + total
                + " destination(s) accept " + protocol + "/" + port + " from " + fromRef)));
        return steps;
    }

    /** A name, not ns/pod, svc/ns/name or an address: the source resolves it through cluster DNS first. */
    private static boolean isName(String to) {
        return !to.contains("/") && !IpAddresses.isValid(to);
    }

    private TraceStep.Dns resolve(String name, Pod source, List<String> destinations) {
        List<String> lines = new ArrayList<>();
        ResolvConf conf = source == null
                ? new ResolvConf(List.of(clusterDnsIp), List.of(), List.of("ndots:1"))
                : ResolvConf.forPod(source, clusterDnsIp, zone, ResolvConf.empty());
        ResolvConfig resolver = ResolvConfig.parse(conf.render());
        lines.add("resolv.conf: nameserver " + String.join(" ", conf.nameservers())
                + (conf.searches().isEmpty() ? "" : ", search " + String.join(" ", conf.searches()))
                + ", ndots:" + resolver.ndots());
        if (!conf.nameservers().contains(clusterDnsIp)) {
            lines.add("the pod does not ask the cluster DNS (dnsPolicy " + source.getSpec().getDnsPolicy()
                    + "): its own nameservers answer, not traced");
            return new TraceStep.Dns(lines);
        }
        ZoneSnapshot zoneSnapshot = zone();
        for (String candidate : resolver.candidates(name)) {
            ZoneAnswer answer = ZoneResolver.resolve(zoneSnapshot, candidate, RecordTypes.A);
            switch (answer) {
                case ZoneAnswer.Authoritative a when a.outcome() == ZoneAnswer.Outcome.FOUND -> {
                    List<String> addresses = a.answers().stream().map(ResourceRecord::data)
                            .filter(d -> d instanceof RecordData.A).map(d -> ((RecordData.A) d).address().getHostAddress())
                            .toList();
                    lines.add(candidate + " A " + String.join(", ", addresses) + " (" + whatIs(addresses) + ")");
                    destinations.addAll(addresses);
                    return new TraceStep.Dns(lines);
                }
                case ZoneAnswer.Authoritative a -> lines.add(candidate + " " + a.outcome()
                        + (a.outcome() == ZoneAnswer.Outcome.NODATA ? " (the name exists, without an A record)" : ""));
                case ZoneAnswer.Alias alias -> {
                    lines.add(candidate + " CNAME " + alias.target() + " (an ExternalName Service: the cluster DNS "
                            + "asks its upstream for the target; the lab has none)");
                    return new TraceStep.Dns(lines);
                }
                case ZoneAnswer.NotInZone ignored -> lines.add(candidate + " is outside " + zone
                        + ": forwarded upstream (the lab has none: REFUSED)");
            }
        }
        lines.add(name + " does not resolve");
        return new TraceStep.Dns(lines);
    }

    private ZoneSnapshot zone() {
        ClusterDnsIndex index = new ClusterDnsIndex(new ZoneSettings(zone, ZoneSettings.DEFAULT_TTL,
                ZoneSettings.PodRecords.INSECURE, ZoneSettings.EndpointSource.SLICES_OR_PODS));
        index.replaceAll(objects);
        return index.snapshot();
    }

    private String whatIs(List<String> addresses) {
        if (addresses.size() == 1) {
            Optional<Service> svc = serviceByIp(addresses.getFirst());
            if (svc.isPresent()) {
                return "ClusterIP of Service " + key(svc.get());
            }
        }
        return addresses.size() == 1 ? "one address" : "headless: every ready endpoint; the client dials one";
    }

    private TraceStep.Service serviceStep(Service svc, int port, Protocol protocol, Verdict verdict, Optional<Pod> source) {
        List<String> lines = new ArrayList<>();
        ServicePort sp = svc.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == port && protocol.name().equals(Optional.ofNullable(p.getProtocol()).orElse("TCP")))
                .findFirst().orElse(null);
        String address = Optional.ofNullable(svc.getSpec().getClusterIP()).orElse("None");
        if (sp == null) {
            lines.add(key(svc) + " " + address + " has no port " + protocol + "/" + port + ": the Service proxy rejects it");
            return new TraceStep.Service(lines);
        }
        String target = sp.getTargetPort() == null ? String.valueOf(port)
                : sp.getTargetPort().getStrVal() != null ? sp.getTargetPort().getStrVal() + " (named, resolved per pod)"
                : String.valueOf(sp.getTargetPort().getIntVal());
        lines.add(key(svc) + " " + address + ":" + port + "/" + protocol
                + (sp.getName() == null ? "" : " (port " + sp.getName() + ")") + " -> targetPort " + target);
        int count = verdict.endpoints().size();
        String where = source.map(p -> p.getSpec().getNodeName()).map(n -> "node " + n + "'s")
                .orElse(source.isPresent() ? "the source node's" : "the receiving node's");
        if (count == 0) {
            lines.add("no ready endpoints: " + where + " Service proxy rejects the connection (ICMP port unreachable)");
        } else {
            lines.add(where + " Service proxy (nftables) DNATs to one of " + count + " ready endpoint(s), chosen at "
                    + "random per connection" + ("ClientIP".equals(svc.getSpec().getSessionAffinity())
                    ? "; sessionAffinity ClientIP keeps a client on its endpoint" : ""));
        }
        return new TraceStep.Service(lines);
    }

    private TraceStep.Endpoint endpointStep(Optional<Pod> source, EndpointVerdict e, Protocol protocol,
                                            boolean viaService) {
        List<String> lines = new ArrayList<>();
        Optional<Pod> destination = e.destination().contains("/") ? pod(e.destination()) : podByIp(e.destination());
        lines.add(destination.map(this::describe).orElse(e.destination() + ", outside the pod network")
                + " port " + e.port() + "/" + protocol);
        lines.add("route: " + route(source, destination, e.destination(), viaService));
        lines.add("policy: " + e.reason());
        return new TraceStep.Endpoint(lines);
    }

    /** The hops between the two ends in this lab's pod-network mode: which node forwards where, and why there. */
    private String route(Optional<Pod> source, Optional<Pod> destination, String destinationText, boolean viaService) {
        if (source.isEmpty()) {
            return destination.map(d -> "from outside the pod network to node " + d.getSpec().getNodeName()
                    + ", which forwards to the pod's veth").orElse("outside the pod network at both ends");
        }
        Pod src = source.get();
        String srcNode = src.getSpec().getNodeName();
        if (destination.isEmpty()) {
            return "leaves " + src.getStatus().getPodIP() + "'s eth0 to node " + srcNode + ", which masquerades it to "
                    + "its own address (traffic leaving the pod network is source-NATed) toward " + destinationText;
        }
        Pod dst = destination.get();
        String dstNode = dst.getSpec().getNodeName();
        String dstIp = dst.getStatus().getPodIP();
        if (Objects.equals(src, dst)) {
            return viaService ? "back to the pod itself (hairpin): node " + srcNode + " DNATs it into the same veth and "
                    + "masquerades the source to itself, so the reply comes back through the node"
                    : "the pod's own address: it never leaves the pod";
        }
        if (srcNode == null || dstNode == null) {
            return "not scheduled yet: the hops depend on the nodes the pods land on";
        }
        if (Objects.equals(srcNode, dstNode)) {
            return "same node " + srcNode + ": out of the source's veth into the node, "
                    + (mode == LabMode.BRIDGE ? "switched by the node's bridge" : "routed by the node")
                    + " into " + dstIp + "'s veth; source address kept";
        }
        Optional<Node> target = node(dstNode);
        String underlay = target.flatMap(PathTracer::internalIp).orElse("?");
        String cidr = target.map(n -> n.getSpec().getPodCIDR()).orElse("?");
        String hop = mode == null ? "node " + srcNode + " -> node " + dstNode + " (the lab's mode decides how)"
                : switch (mode) {
                    case BRIDGE -> "one L2 segment: the source ARPs for " + dstIp + " itself; the frame crosses node "
                            + srcNode + "'s bridge, the underlay and node " + dstNode + "'s bridge";
                    case ROUTED -> "node " + srcNode + " routes " + cidr + " via node " + dstNode + "'s InternalIP "
                            + underlay + " (a route from the Node object, or learned over BGP with --bgp)";
                    case VXLAN -> "node " + srcNode + " routes " + cidr + " over its VXLAN device: the FDB entry from Node "
                            + dstNode + " encapsulates it in UDP/4789 to " + underlay + ", where it is decapsulated (the"
                            + " outer UDP packets skip conntrack; the pod flow inside is tracked on both nodes)";
                    case CLOUD -> "node " + srcNode + " sends it to the VPC router, whose route for " + cidr
                            + " (programmed from Node " + dstNode + "'s podCIDR) leads to " + underlay;
                };
        return hop + "; node " + dstNode + " forwards it into " + dstIp + "'s veth; no NAT between pods";
    }

    private String describe(Pod p) {
        String ip = p.getStatus() == null || p.getStatus().getPodIP() == null ? "no IP yet" : p.getStatus().getPodIP();
        String node = p.getSpec().getNodeName();
        String nodeText = node == null ? "not scheduled" : "on node " + node
                + node(node).flatMap(PathTracer::internalIp).map(a -> " (" + a + ")").orElse("");
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " " + ip + " " + nodeText;
    }

    private Optional<Pod> pod(String ref) {
        int slash = ref.indexOf('/');
        String ns = ref.substring(0, slash);
        String name = ref.substring(slash + 1);
        return objects.stream().filter(o -> o instanceof Pod).map(Pod.class::cast)
                .filter(p -> ns.equals(p.getMetadata().getNamespace()) && name.equals(p.getMetadata().getName()))
                .findFirst();
    }

    private Optional<Pod> podByIp(String ip) {
        return objects.stream().filter(o -> o instanceof Pod).map(Pod.class::cast)
                .filter(p -> p.getStatus() != null && ip.equals(p.getStatus().getPodIP())
                        && !Boolean.TRUE.equals(p.getSpec().getHostNetwork()))
                .findFirst();
    }

    private Optional<Service> serviceOf(String destination) {
        if (destination.startsWith("svc/") || destination.startsWith("service/")) {
            String rest = destination.substring(destination.indexOf('/') + 1);
            String ns = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : "default";
            String name = rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : rest;
            return objects.stream().filter(o -> o instanceof Service).map(Service.class::cast)
                    .filter(s -> ns.equals(s.getMetadata().getNamespace()) && name.equals(s.getMetadata().getName()))
                    .findFirst();
        }
        return IpAddresses.isValid(destination) ? serviceByIp(destination) : Optional.empty();
    }

    private Optional<Service> serviceByIp(String ip) {
        return objects.stream().filter(o -> o instanceof Service).map(Service.class::cast)
                .filter(s -> s.getSpec() != null && ip.equals(s.getSpec().getClusterIP())).findFirst();
    }

    private Optional<Node> node(String name) {
        return objects.stream().filter(o -> o instanceof Node).map(Node.class::cast)
                .filter(n -> n.getMetadata().getName().equals(name)).findFirst();
    }

    private static Optional<String> internalIp(Node n) {
        return n.getStatus() == null || n.getStatus().getAddresses() == null ? Optional.empty()
                : n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).findFirst();
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
