package dev.knet.proxy.controller;

import dev.knet.proxy.route.PortRef;
import dev.knet.proxy.route.ServiceBackend;
import dev.knet.proxy.server.EndpointResolver;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Ready endpoints of every Service port, resolved once per change so the data path answers with a
 * single map lookup. A Service port is reachable under its number and its name; its endpoints are
 * those of the Service's EndpointSlices (label kubernetes.io/service-name) whose port has the same
 * name, at that slice port's number, as kube-proxy resolves targetPort.
 */
final class ServiceEndpoints implements EndpointResolver {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<ServiceBackend, List<InetSocketAddress>> byPort;

    private ServiceEndpoints(Map<ServiceBackend, List<InetSocketAddress>> byPort) {
        this.byPort = Map.copyOf(byPort);
    }

    static ServiceEndpoints empty() {
        return new ServiceEndpoints(Map.of());
    }

    static ServiceEndpoints of(Collection<Service> services, Collection<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null && !"FQDN".equals(slice.getAddressType())) {
                slicesByService.computeIfAbsent(namespace(slice.getMetadata().getNamespace()) + "/" + service,
                        k -> new ArrayList<>()).add(slice);
            }
        }
        Map<ServiceBackend, List<InetSocketAddress>> byPort = new HashMap<>();
        for (Service service : services) {
            if (service.getSpec() == null || service.getSpec().getPorts() == null) {
                continue;
            }
            String ns = namespace(service.getMetadata().getNamespace());
            String name = service.getMetadata().getName();
            List<EndpointSlice> own = slicesByService.getOrDefault(ns + "/" + name, List.of());
            for (ServicePort port : service.getSpec().getPorts()) {
                if (port.getProtocol() != null && !"TCP".equals(port.getProtocol())) {
                    continue;
                }
                List<InetSocketAddress> ready = readyEndpoints(own, nameOf(port.getName()));
                if (port.getPort() != null) {
                    byPort.put(new ServiceBackend(ns, name, new PortRef.Number(port.getPort())), ready);
                }
                if (!nameOf(port.getName()).isEmpty()) {
                    byPort.put(new ServiceBackend(ns, name, new PortRef.Named(port.getName())), ready);
                }
            }
        }
        return new ServiceEndpoints(byPort);
    }

    @Override
    public List<InetSocketAddress> endpoints(ServiceBackend backend) {
        return byPort.getOrDefault(backend, List.of());
    }

    int size() {
        return byPort.size();
    }

    private static List<InetSocketAddress> readyEndpoints(List<EndpointSlice> slices, String portName) {
        Set<InetSocketAddress> out = new LinkedHashSet<>();
        for (EndpointSlice slice : slices) {
            Integer number = null;
            for (EndpointPort p : nullSafe(slice.getPorts())) {
                if (nameOf(p.getName()).equals(portName) && (p.getProtocol() == null || "TCP".equals(p.getProtocol()))) {
                    number = p.getPort();
                }
            }
            if (number == null) {
                continue;
            }
            for (Endpoint endpoint : nullSafe(slice.getEndpoints())) {
                // a missing condition means ready (discovery.k8s.io/v1: "nil should be interpreted as ready")
                boolean ready = endpoint.getConditions() == null
                        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (!ready) {
                    continue;
                }
                for (String address : nullSafe(endpoint.getAddresses())) {
                    try {
                        out.add(new InetSocketAddress(InetAddress.ofLiteral(address), number));
                    } catch (IllegalArgumentException notAnIp) {
                        // an address that is not an IP literal cannot be dialled without DNS: skipped
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static String nameOf(String name) {
        return name == null ? "" : name;
    }

    static String namespace(String namespace) {
        return Objects.requireNonNullElse(namespace, "default");
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
