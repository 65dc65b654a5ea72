package dev.knet.dns.index;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compact builders for the objects the index reads. */
final class ZoneObjects {

    private ZoneObjects() {
    }

    static Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    /** Ports as "name:port/PROTO" or "name:port>target" (target a number or a container port name). */
    static List<ServicePort> ports(String... specs) {
        List<ServicePort> out = new ArrayList<>();
        for (String spec : specs) {
            String[] nameRest = spec.split(":", 2);
            String rest = nameRest[1];
            String proto = "TCP";
            if (rest.contains("/")) {
                proto = rest.substring(rest.indexOf('/') + 1);
                rest = rest.substring(0, rest.indexOf('/'));
            }
            IntOrString target = null;
            if (rest.contains(">")) {
                String t = rest.substring(rest.indexOf('>') + 1);
                target = t.matches("\\d+") ? new IntOrString(Integer.parseInt(t)) : new IntOrString(t);
                rest = rest.substring(0, rest.indexOf('>'));
            }
            out.add(new ServicePortBuilder().withName(nameRest[0].isEmpty() ? null : nameRest[0])
                    .withPort(Integer.parseInt(rest)).withProtocol(proto).withTargetPort(target).build());
        }
        return out;
    }

    static Service clusterIp(String ns, String name, String ip, String... ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ip).withClusterIPs(List.of(ip))
                .withPorts(ports(ports)).endSpec().build();
    }

    static Service headless(String ns, String name, Map<String, String> selector, String... ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("None").withSelector(selector)
                .withPorts(ports(ports)).endSpec().build();
    }

    static Service externalName(String ns, String name, String target) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName(target).endSpec().build();
    }

    static Pod pod(String ns, String name, String ip, Map<String, String> labels, String hostname, String subdomain) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .withNewSpec().withHostname(hostname).withSubdomain(subdomain).endSpec()
                .withNewStatus().withPodIP(ip).endStatus().build();
    }

    /** A slice of a Service; endpoints as "ip" or "ip=hostname", a trailing "!" marks one not ready. */
    static EndpointSlice slice(String ns, String name, String service, Map<String, Integer> ports, String... endpoints) {
        var b = new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(Map.of(HeadlessEndpoints.SERVICE_NAME_LABEL, service)).endMetadata()
                .withAddressType(endpoints.length > 0 && endpoints[0].contains(":") ? "IPv6" : "IPv4");
        ports.forEach((portName, port) -> b.addToPorts(new EndpointPortBuilder().withName(portName).withPort(port)
                .withProtocol("TCP").build()));
        for (String e : endpoints) {
            boolean ready = !e.endsWith("!");
            String text = ready ? e : e.substring(0, e.length() - 1);
            String[] ipHost = text.split("=", 2);
            b.addToEndpoints(new EndpointBuilder().withAddresses(ipHost[0])
                    .withHostname(ipHost.length > 1 ? ipHost[1] : null)
                    .withNewConditions().withReady(ready).endConditions().build());
        }
        return b.build();
    }
}
