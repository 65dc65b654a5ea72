package dev.knet.dns.index;

import dev.knet.model.LabelSelectors;
import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Works out the ready endpoints of a headless Service (spec 2.1 "ready"), from slices or from pods. */
final class HeadlessEndpoints {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String TOLERATE_UNREADY = "service.alpha.kubernetes.io/tolerate-unready-endpoints";

    private HeadlessEndpoints() {
    }

    static boolean publishesNotReady(Service service) {
        var annotations = service.getMetadata().getAnnotations();
        return Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses())
                || (annotations != null && "true".equalsIgnoreCase(annotations.get(TOLERATE_UNREADY)));
    }

    static List<EndpointSlice> slicesOf(Service service, Collection<EndpointSlice> slicesInNamespace) {
        String name = service.getMetadata().getName();
        List<EndpointSlice> out = new ArrayList<>();
        for (EndpointSlice slice : slicesInNamespace) {
            var labels = slice.getMetadata().getLabels();
            if (labels != null && name.equals(labels.get(SERVICE_NAME_LABEL))) {
                out.add(slice);
            }
        }
        return out;
    }

    static List<DnsEndpoint> fromSlices(Service service, List<EndpointSlice> slices) {
        boolean includeAll = publishesNotReady(service);
        List<DnsEndpoint> out = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            if ("FQDN".equals(slice.getAddressType())) {
                continue;
            }
            Map<String, Integer> ports = new HashMap<>();
            for (EndpointPort port : nullSafe(slice.getPorts())) {
                if (port.getName() != null && port.getPort() != null) {
                    ports.put(port.getName(), port.getPort());
                }
            }
            for (Endpoint endpoint : nullSafe(slice.getEndpoints())) {
                // A nil ready condition means "unknown" and consumers must read it as ready.
                Boolean ready = endpoint.getConditions() == null ? null : endpoint.getConditions().getReady();
                if (!includeAll && Boolean.FALSE.equals(ready)) {
                    continue;
                }
                List<byte[]> addresses = parseAll(endpoint.getAddresses());
                if (!addresses.isEmpty()) {
                    out.add(new DnsEndpoint(addresses, blankToNull(endpoint.getHostname()), ports));
                }
            }
        }
        return out;
    }

    /** What the EndpointSlice controller would publish, for manifests that carry no slices. */
    static List<DnsEndpoint> fromPods(Service service, Collection<Pod> podsInNamespace) {
        Map<String, String> selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        boolean includeAll = publishesNotReady(service);
        String serviceName = service.getMetadata().getName();
        List<DnsEndpoint> out = new ArrayList<>();
        for (Pod pod : podsInNamespace) {
            if (!LabelSelectors.matchesAll(selector, pod.getMetadata().getLabels())) {
                continue;
            }
            if (!includeAll && !isReady(pod)) {
                continue;
            }
            List<byte[]> addresses = podAddresses(pod);
            if (addresses.isEmpty()) {
                continue;
            }
            String hostname = pod.getSpec() != null && serviceName.equals(pod.getSpec().getSubdomain())
                    ? blankToNull(pod.getSpec().getHostname()) : null;
            out.add(new DnsEndpoint(addresses, hostname, targetPorts(service, pod)));
        }
        return out;
    }

    private static Map<String, Integer> targetPorts(Service service, Pod pod) {
        Map<String, Integer> ports = new HashMap<>();
        for (ServicePort port : nullSafe(service.getSpec().getPorts())) {
            if (port.getName() == null || port.getPort() == null) {
                continue;
            }
            IntOrString target = port.getTargetPort();
            Integer number = target != null && target.getIntVal() != null ? target.getIntVal() : null;
            if (target != null && target.getStrVal() != null) {
                number = namedContainerPort(pod, target.getStrVal());
            }
            ports.put(port.getName(), number != null ? number : port.getPort());
        }
        return ports;
    }

    private static Integer namedContainerPort(Pod pod, String name) {
        if (pod.getSpec() == null) {
            return null;
        }
        for (var container : nullSafe(pod.getSpec().getContainers())) {
            for (var cp : nullSafe(container.getPorts())) {
                if (name.equals(cp.getName())) {
                    return cp.getContainerPort();
                }
            }
        }
        return null;
    }

    /** Ready unless a Ready condition says otherwise: manifests usually carry no conditions at all. */
    static boolean isReady(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return true;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return true;
    }

    static List<byte[]> podAddresses(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        Set<String> texts = new LinkedHashSet<>();
        if (pod.getStatus().getPodIP() != null) {
            texts.add(pod.getStatus().getPodIP());
        }
        for (PodIP ip : nullSafe(pod.getStatus().getPodIPs())) {
            texts.add(ip.getIp());
        }
        return parseAll(texts);
    }

    private static List<byte[]> parseAll(Collection<String> texts) {
        List<byte[]> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String text : nullSafe(texts)) {
            if (text == null || !IpAddresses.isValid(text)) {
                continue;
            }
            byte[] address = IpAddresses.parse(text);
            if (seen.add(IpAddresses.format(address))) {
                out.add(address);
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <T> Collection<T> nullSafe(Collection<T> c) {
        return c == null ? List.of() : c.stream().filter(Objects::nonNull).toList();
    }
}
