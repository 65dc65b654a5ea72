package dev.knet.dns;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the conformance file's fixtures (cluster objects in a compact form) into Kubernetes objects. */
public final class ConformanceFixtures {

    public static final String E2E_NS = "e2e-dns-4711";
    /** Addresses the e2e fixture leaves to the cluster's allocators. */
    public static final String TEST_SERVICE_2_IP = "10.96.7.2";
    public static final String QUERIER_IP = "10.244.1.5";
    public static final String QUERIER_2_IP = "10.244.1.6";

    private ConformanceFixtures() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load() throws IOException {
        try (InputStream in = ConformanceFixtures.class.getResourceAsStream("/conformance/dns/cases.yaml")) {
            return new YAMLMapper().readValue(in, Map.class);
        }
    }

    /** The spec fixture's names outside the zone and their records, for a fake upstream. */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, List<String>>> externalDns(Map<String, Object> doc) {
        var spec = (Map<String, Object>) ((Map<String, Object>) doc.get("fixtures")).get("spec");
        return new java.util.HashMap<>((Map<String, Map<String, List<String>>>) spec.get("external_dns"));
    }

    @SuppressWarnings("unchecked")
    public static List<HasMetadata> spec(Map<String, Object> fixture) {
        List<HasMetadata> out = new ArrayList<>();
        for (String ns : (List<String>) fixture.get("namespaces")) {
            out.add(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
        }
        Map<String, Service> services = new LinkedHashMap<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) fixture.get("services")) {
            Service svc = service(s, (String) s.get("namespace"));
            services.put(s.get("namespace") + "/" + s.get("name"), svc);
            out.add(svc);
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) fixture.get("endpoints")) {
            Service svc = services.get((String) e.get("service"));
            out.addAll(slices(svc, (List<Map<String, Object>>) e.getOrDefault("ready", List.of()),
                    (List<Map<String, Object>>) e.getOrDefault("notReady", List.of())));
        }
        return out;
    }

    /**
     * The e2e fixture in one namespace, plus what every cluster and the e2e tests add: the
     * {@code kubernetes} Service in default and a Service whose name starts with a digit.
     * Endpoints come from the selectors (the index derives them when no slice exists).
     */
    @SuppressWarnings("unchecked")
    public static List<HasMetadata> e2e(Map<String, Object> fixture) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new NamespaceBuilder().withNewMetadata().withName(E2E_NS).endMetadata().build());
        out.add(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build());
        out.add(service(Map.of("name", "kubernetes", "type", "ClusterIP", "clusterIP", "10.96.0.1",
                "ports", List.of(Map.of("name", "https", "port", 443, "protocol", "TCP"))), "default"));
        out.add(service(Map.of("name", "1kubernetes", "type", "ClusterIP", "clusterIP", "10.96.7.9",
                "ports", List.of(Map.of("name", "http", "port", 80, "protocol", "TCP"))), E2E_NS));
        for (Map<String, Object> s : (List<Map<String, Object>>) fixture.get("services")) {
            Map<String, Object> copy = new LinkedHashMap<>(s);
            if ("test-service-2".equals(s.get("name"))) {
                copy.put("clusterIP", TEST_SERVICE_2_IP);
            }
            out.add(service(copy, E2E_NS));
        }
        List<Map<String, Object>> pods = (List<Map<String, Object>>) fixture.get("pods");
        out.add(pod(pods.get(0), "dns-test-1234", QUERIER_IP));
        out.add(pod(pods.get(1), "dns-test-1234-2", QUERIER_2_IP));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Pod pod(Map<String, Object> p, String name, String ip) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(E2E_NS)
                .withLabels((Map<String, String>) p.get("labels")).endMetadata()
                .withNewSpec().withHostname((String) p.get("hostname")).withSubdomain((String) p.get("subdomain"))
                .endSpec().withNewStatus().withPodIP(ip).endStatus().build();
    }

    /**
     * A resolv.conf case's dnsConfig as a pod spec's: the six long search paths spelled out as the e2e test
     * makes them, the test DNS server's placeholder replaced by {@code testServerIp}.
     */
    @SuppressWarnings("unchecked")
    public static PodDNSConfig dnsConfig(Map<String, Object> cfg, String testServerIp) {
        List<PodDNSConfigOption> options = new ArrayList<>();
        for (Map<String, Object> o : (List<Map<String, Object>>) cfg.getOrDefault("options", List.of())) {
            options.add(new PodDNSConfigOption((String) o.get("name"), (String) o.get("value")));
        }
        List<String> searches = new ArrayList<>();
        for (String s : (List<String>) cfg.getOrDefault("searches", List.of())) {
            if (s.startsWith("<38 zero-padded digits>")) {
                for (int i = 0; i < 6; i++) {
                    searches.add(String.format("%038d.k8s.io", i)); // 6 x 45 characters: over 256 in all
                }
            } else {
                searches.add(s);
            }
        }
        return new PodDNSConfigBuilder().withNameservers(((List<String>) cfg.getOrDefault("nameservers", List.of()))
                        .stream().map(n -> n.replace("<test dns server pod IP>", String.valueOf(testServerIp))).toList())
                .withSearches(searches).withOptions(options).build();
    }

    @SuppressWarnings("unchecked")
    public static Service service(Map<String, Object> s, String ns) {
        List<ServicePort> ports = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) s.getOrDefault("ports", List.of())) {
            ports.add(new ServicePortBuilder().withName((String) p.get("name")).withPort((Integer) p.get("port"))
                    .withProtocol((String) p.get("protocol")).build());
        }
        String clusterIP = (String) s.get("clusterIP");
        return new ServiceBuilder().withNewMetadata().withName((String) s.get("name")).withNamespace(ns)
                .withAnnotations((Map<String, String>) s.get("annotations")).endMetadata()
                .withNewSpec().withType((String) s.get("type")).withClusterIP(clusterIP)
                .withClusterIPs(clusterIP == null ? null : List.of(clusterIP))
                .withPublishNotReadyAddresses((Boolean) s.get("publishNotReadyAddresses"))
                .withExternalName((String) s.get("externalName"))
                .withSelector((Map<String, String>) s.get("selector"))
                .withPorts(ports).endSpec().build();
    }

    /** One slice per address family, as the EndpointSlice controller would publish them. */
    private static List<HasMetadata> slices(Service svc, List<Map<String, Object>> ready, List<Map<String, Object>> notReady) {
        List<HasMetadata> out = new ArrayList<>();
        for (String family : List.of("IPv4", "IPv6")) {
            var b = new EndpointSliceBuilder().withNewMetadata()
                    .withName(svc.getMetadata().getName() + "-" + family.toLowerCase())
                    .withNamespace(svc.getMetadata().getNamespace())
                    .withLabels(Map.of("kubernetes.io/service-name", svc.getMetadata().getName())).endMetadata()
                    .withAddressType(family);
            for (ServicePort p : svc.getSpec().getPorts()) {
                b.addToPorts(new EndpointPortBuilder().withName(p.getName()).withPort(p.getPort())
                        .withProtocol(p.getProtocol()).build());
            }
            boolean any = false;
            for (var list : List.of(ready, notReady)) {
                for (Map<String, Object> e : list) {
                    String ip = (String) e.get("ip");
                    if (ip.contains(":") != family.equals("IPv6")) {
                        continue;
                    }
                    any = true;
                    b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withHostname((String) e.get("hostname"))
                            .withNewConditions().withReady(list == ready).endConditions().build());
                }
            }
            if (any || family.equals("IPv4")) {
                out.add(b.build());
            }
        }
        return out;
    }
}
