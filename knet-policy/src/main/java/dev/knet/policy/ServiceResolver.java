package dev.knet.policy;

import dev.knet.model.LabelSelectors;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Translates a Service port to its endpoints the way the service proxy's DNAT does, because
 * policy applies after DNAT. EndpointSlices are used when the Service has any; offline manifests
 * usually have none, so then endpoints come from the selector and targetPort.
 */
final class ServiceResolver {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final ClusterSnapshot snapshot;
    private final PodUniverse universe;

    ServiceResolver(ClusterSnapshot snapshot, PodUniverse universe) {
        this.snapshot = snapshot;
        this.universe = universe;
    }

    Optional<Service> find(String namespace, String name) {
        return snapshot.services().stream().filter(s -> Objects.equals(namespace, s.getMetadata().getNamespace())
                && name.equals(s.getMetadata().getName())).findFirst();
    }

    Optional<Service> byClusterIp(String ip) {
        return snapshot.services().stream().filter(s -> s.getSpec() != null && (ip.equals(s.getSpec().getClusterIP())
                || (s.getSpec().getClusterIPs() != null && s.getSpec().getClusterIPs().contains(ip)))).findFirst();
    }

    List<Backend> backends(Service service, int port, Protocol protocol) {
        String ns = service.getMetadata().getNamespace();
        ServicePort sp = service.getSpec().getPorts() == null ? null : service.getSpec().getPorts().stream()
                .filter(p -> Objects.equals(p.getPort(), port) && Protocol.parse(p.getProtocol()) == protocol)
                .findFirst().orElse(null);
        if (sp == null) {
            throw new PolicyException("Service " + ns + "/" + service.getMetadata().getName() + " has no port "
                    + protocol + "/" + port);
        }
        List<EndpointSlice> slices = snapshot.endpointSlices().stream()
                .filter(s -> Objects.equals(ns, s.getMetadata().getNamespace()) && s.getMetadata().getLabels() != null
                        && service.getMetadata().getName().equals(s.getMetadata().getLabels().get(SERVICE_NAME_LABEL)))
                .toList();
        return slices.isEmpty() ? fromSelector(service, sp, protocol) : fromSlices(slices, sp, protocol);
    }

    private List<Backend> fromSlices(List<EndpointSlice> slices, ServicePort sp, Protocol protocol) {
        List<Backend> out = new ArrayList<>();
        String portName = sp.getName() == null ? "" : sp.getName();
        for (EndpointSlice slice : slices) {
            Integer target = slice.getPorts() == null ? null : slice.getPorts().stream()
                    .filter(p -> portName.equals(p.getName() == null ? "" : p.getName())
                            && Protocol.parse(p.getProtocol()) == protocol)
                    .map(p -> p.getPort()).filter(Objects::nonNull).findFirst().orElse(null);
            if (target == null || slice.getEndpoints() == null) {
                continue;
            }
            for (var endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (!ready || endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                String ip = endpoint.getAddresses().getFirst();
                int pod = -1;
                var ref = endpoint.getTargetRef();
                if (ref != null && "Pod".equals(ref.getKind())) {
                    pod = universe.idOf((ref.getNamespace() == null ? slice.getMetadata().getNamespace() : ref.getNamespace())
                            + "/" + ref.getName());
                }
                out.add(new Backend(pod >= 0 ? pod : universe.idOfIp(ip), ip, target));
            }
        }
        return out;
    }

    private List<Backend> fromSelector(Service service, ServicePort sp, Protocol protocol) {
        var selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        List<Backend> out = new ArrayList<>();
        for (int pod : universe.podsIn(service.getMetadata().getNamespace())) {
            PodView view = universe.pod(pod);
            if (!LabelSelectors.matchesAll(selector, view.labels()) || view.ip() == null) {
                continue;
            }
            int target = targetPort(sp, view, protocol);
            if (target > 0) {
                out.add(new Backend(pod, view.ip(), target));
            }
        }
        return out;
    }

    private static int targetPort(ServicePort sp, PodView pod, Protocol protocol) {
        IntOrString target = sp.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        return pod.ports().stream().filter(p -> target.getStrVal().equals(p.name()) && p.protocol() == protocol)
                .mapToInt(ContainerPortView::port).findFirst().orElse(-1);
    }
}
