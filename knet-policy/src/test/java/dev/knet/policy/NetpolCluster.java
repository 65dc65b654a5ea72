package dev.knet.policy;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The e2e topology of a conformance case as API objects, with the steps applied in order:
 * namespaces, pods serving every (port, protocol) with named container ports, one ClusterIP
 * Service per pod with an EndpointSlice, and the policies. Pod and Service addresses are fixed
 * by position so templates like {{ip:x/b}} resolve deterministically.
 */
public final class NetpolCluster {

    private final NetpolCase testCase;
    private final Map<String, Map<String, String>> namespaceLabels = new TreeMap<>();
    private final Map<String, Map<String, String>> podLabels = new TreeMap<>();
    private final Map<String, NetworkPolicy> policies = new LinkedHashMap<>();

    public NetpolCluster(NetpolCase testCase) {
        this.testCase = testCase;
        testCase.namespaces().forEach((ns, labels) -> namespaceLabels.put(ns, new LinkedHashMap<>(labels)));
        testCase.pods().forEach((pod, labels) -> podLabels.put(pod, new LinkedHashMap<>(labels)));
    }

    public List<String> podKeys() {
        return List.copyOf(podLabels.keySet());
    }

    public String podIp(String key) {
        List<String> namespaces = List.copyOf(namespaceLabels.keySet());
        String ns = key.substring(0, key.indexOf('/'));
        List<String> inNs = podLabels.keySet().stream().filter(k -> k.startsWith(ns + "/")).toList();
        return "10.244." + (namespaces.indexOf(ns) + 1) + "." + (inNs.indexOf(key) + 10);
    }

    String serviceName(String podKey) {
        return "s-" + podKey.replace('/', '-');
    }

    @SuppressWarnings("unchecked")
    public void apply(Map<String, Object> step) {
        switch ((String) step.get("action")) {
            case "create-policy", "update-policy" -> {
                NetworkPolicy p = policy((Map<String, Object>) step.get("policy"));
                policies.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
            }
            case "delete-policy" -> {
                Map<String, Object> meta = (Map<String, Object>) ((Map<String, Object>) step.get("policy")).get("metadata");
                policies.remove(meta.get("namespace") + "/" + meta.get("name"));
            }
            case "delete-all-policies" -> policies.values().removeIf(p ->
                    ((List<String>) step.get("namespaces")).contains(p.getMetadata().getNamespace()));
            case "add-namespace-labels" -> namespaceLabels.get((String) step.get("namespace"))
                    .putAll((Map<String, String>) step.get("labels"));
            case "set-namespace-labels" -> {
                String ns = (String) step.get("namespace");
                Map<String, String> labels = new LinkedHashMap<>((Map<String, String>) step.get("labels"));
                labels.put(ClusterSnapshot.NAMESPACE_NAME_LABEL, ns);
                namespaceLabels.put(ns, labels);
            }
            case "add-pod-labels" -> podLabels.get((String) step.get("pod")).putAll((Map<String, String>) step.get("labels"));
            case "set-pod-labels" -> podLabels.put((String) step.get("pod"), new LinkedHashMap<>((Map<String, String>) step.get("labels")));
            case "delete-pod" -> podLabels.remove((String) step.get("pod"));
            default -> throw new IllegalArgumentException("unknown step " + step.get("action") + " in " + testCase.id());
        }
    }

    public NetworkPolicy policy(Map<String, Object> raw) {
        String json = KnetJson.toJson(raw);
        for (String pod : podLabels.keySet()) {
            String ip = podIp(pod);
            String[] o = ip.split("\\.");
            // the /4 network containing the pod's address, host bits zeroed
            String net4 = ((Integer.parseInt(o[0]) & 0xf0) + ".0.0.0/4");
            json = json.replace("{{ip:" + pod + "}}", ip).replace("{{net4:" + pod + "}}", net4);
        }
        return KnetJson.fromJson(json, NetworkPolicy.class);
    }

    public List<HasMetadata> objects() {
        List<HasMetadata> out = new ArrayList<>();
        namespaceLabels.forEach((ns, labels) -> out.add(new NamespaceBuilder().withNewMetadata().withName(ns)
                .withLabels(labels).endMetadata().build()));
        podLabels.forEach((key, labels) -> {
            String ns = key.substring(0, key.indexOf('/'));
            String name = key.substring(key.indexOf('/') + 1);
            out.add(pod(ns, name, labels, podIp(key)));
            out.addAll(serviceAndSlice(ns, name, key));
        });
        out.addAll(policies.values());
        return out;
    }

    private HasMetadata pod(String ns, String name, Map<String, String> labels, String ip) {
        var ports = new ArrayList<io.fabric8.kubernetes.api.model.ContainerPort>();
        for (int port : testCase.ports()) {
            for (String proto : testCase.protocols()) {
                ports.add(new ContainerPortBuilder().withName(portName(port, proto)).withContainerPort(port)
                        .withProtocol(proto).build());
            }
        }
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withPorts(ports).endContainer().endSpec()
                .withNewStatus().withPodIP(ip).endStatus().build();
    }

    private List<HasMetadata> serviceAndSlice(String ns, String name, String key) {
        var svcPorts = new ArrayList<io.fabric8.kubernetes.api.model.ServicePort>();
        var slicePorts = new ArrayList<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort>();
        for (int port : testCase.ports()) {
            for (String proto : testCase.protocols()) {
                String pn = portName(port, proto);
                svcPorts.add(new ServicePortBuilder().withName(pn).withPort(port).withProtocol(proto)
                        .withTargetPort(new IntOrString(port)).build());
                slicePorts.add(new EndpointPortBuilder().withName(pn).withPort(port).withProtocol(proto).build());
            }
        }
        String svc = serviceName(key);
        String clusterIp = podIp(key).replace("10.244.", "10.96.");
        var service = new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(svc).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withSelector(Map.of("pod", name)).withPorts(svcPorts).endSpec().build();
        var slice = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(svc + "-abcde")
                .withLabels(Map.of(ServiceResolver.SERVICE_NAME_LABEL, svc)).endMetadata().withAddressType("IPv4")
                .withPorts(slicePorts).withEndpoints(new EndpointBuilder().withAddresses(podIp(key))
                        .withNewTargetRef().withKind("Pod").withNamespace(ns).withName(name).endTargetRef().build())
                .build();
        return List.of(service, slice);
    }

    static String portName(int port, String protocol) {
        return "serve-" + port + "-" + protocol.toLowerCase(Locale.ROOT);
    }
}
