package dev.knet.policy.verify;

import dev.knet.policy.Protocol;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which pairs {@code knet verify} checks: from every chosen pod to every other chosen pod on each port its
 * containers declare (or to every Service in scope on each service port). By default the chosen pods are the
 * Book review application's (label {@code app} one of productpage, details, reviews, ratings); with
 * {@link Scope#ALL} every pod with an address.
 */
public record VerifyPlan(Scope scope, Target target, String namespace, Integer port) {

    /** Where the node agent records a pod's network namespace. */
    public static final String NETNS_ANNOTATION = "knet.dev/netns";
    public static final Set<String> BOOK_REVIEW_APPS = Set.of("productpage", "details", "reviews", "ratings");

    public enum Scope { BOOK_REVIEW, ALL }

    public enum Target { PODS, SERVICES }

    /**
     * @param namespace only pods (and Services) of this namespace; null for all
     * @param port      probe this TCP port instead of the declared ones; null for the declared ports
     */
    public VerifyPlan {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(target, "target");
    }

    public List<VerifyPair> pairs(ClusterState state) {
        List<Pod> pods = state.pods().stream().filter(this::chosen)
                .sorted(Comparator.comparing(VerifyPlan::key)).toList();
        List<VerifyPair> pairs = new ArrayList<>();
        for (Pod from : pods) {
            String netns = annotation(from);
            switch (target) {
                case PODS -> {
                    for (Pod to : pods) {
                        if (from != to) {
                            for (PortProto pp : ports(to)) {
                                pairs.add(new VerifyPair(key(from), netns, key(to), to.getStatus().getPodIP(),
                                        pp.port(), pp.protocol()));
                            }
                        }
                    }
                }
                case SERVICES -> {
                    for (Service svc : services(state, pods)) {
                        for (ServicePort sp : svc.getSpec().getPorts()) {
                            int p = port != null ? port : sp.getPort();
                            Protocol proto = port != null ? Protocol.TCP : Protocol.parse(sp.getProtocol());
                            pairs.add(new VerifyPair(key(from), netns, "svc/" + namespaceOf(svc) + "/"
                                    + svc.getMetadata().getName(), svc.getSpec().getClusterIP(), p, proto));
                        }
                    }
                }
            }
        }
        return pairs;
    }

    private boolean chosen(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isBlank()) {
            return false;
        }
        if (namespace != null && !namespace.equals(namespaceOf(pod))) {
            return false;
        }
        return switch (scope) {
            case ALL -> true;
            case BOOK_REVIEW -> {
                Map<String, String> labels = pod.getMetadata().getLabels();
                yield labels != null && labels.get("app") != null && BOOK_REVIEW_APPS.contains(labels.get("app"));
            }
        };
    }

    /** Services with a ClusterIP that select at least one chosen pod. */
    private List<Service> services(ClusterState state, List<Pod> chosen) {
        return state.services().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getClusterIP() != null
                        && !"None".equals(s.getSpec().getClusterIP()) && s.getSpec().getSelector() != null
                        && !s.getSpec().getSelector().isEmpty())
                .filter(s -> chosen.stream().anyMatch(p -> namespaceOf(p).equals(namespaceOf(s))
                        && p.getMetadata().getLabels() != null
                        && p.getMetadata().getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet())))
                .sorted(Comparator.comparing(s -> namespaceOf(s) + "/" + s.getMetadata().getName()))
                .toList();
    }

    private record PortProto(int port, Protocol protocol) {
    }

    private Set<PortProto> ports(Pod pod) {
        Set<PortProto> out = new LinkedHashSet<>();
        if (port != null) {
            out.add(new PortProto(port, Protocol.TCP));
            return out;
        }
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            pod.getSpec().getContainers().forEach(c -> {
                if (c.getPorts() != null) {
                    for (ContainerPort cp : c.getPorts()) {
                        out.add(new PortProto(cp.getContainerPort(), Protocol.parse(cp.getProtocol())));
                    }
                }
            });
        }
        return out;
    }

    private static String annotation(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(NETNS_ANNOTATION);
    }

    static String key(Pod pod) {
        return namespaceOf(pod) + "/" + pod.getMetadata().getName();
    }

    /** Objects read from manifests may leave the namespace out: the API server would put them in "default". */
    private static String namespaceOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
