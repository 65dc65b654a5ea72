package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTranslatorTest {

    private final ServiceTranslator translator = new ServiceTranslator("node-a");

    @Test
    void translatesAServiceWithEveryFieldTheProxyUses() {
        Service s = new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
                .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.10")
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNodePort(30080).withTargetPort(new IntOrString("web")).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                .withExternalTrafficPolicy("Local").withInternalTrafficPolicy("Cluster").withHealthCheckNodePort(32000)
                .withSessionAffinity("ClientIP").withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig()
                .endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("198.18.0.100").endIngress().endLoadBalancer().endStatus()
                .build();
        ServiceInfo info = translator.service(s);
        assertThat(info.key()).isEqualTo(new ServiceKey("shop", "web"));
        assertThat(info.type()).isEqualTo(ServiceInfo.Type.LOAD_BALANCER);
        assertThat(info.ports()).containsExactly(new ServiceInfo.Port("http", Protocol.TCP, 80, 30080),
                new ServiceInfo.Port("dns", Protocol.UDP, 53, 0));
        assertThat(info.externalTrafficPolicy()).isEqualTo(ServiceInfo.TrafficPolicy.LOCAL);
        assertThat(info.sessionAffinity()).isEqualTo(new ServiceInfo.SessionAffinity.ClientIp(Duration.ofSeconds(60)));
        assertThat(info.loadBalancerIps()).containsExactly("198.18.0.100");
        assertThat(info.healthCheckNodePort()).isEqualTo(32000);
    }

    @Test
    void headlessServicesAreRecognised() {
        Service s = new ServiceBuilder().withNewMetadata().withNamespace("a").withName("h").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build();
        assertThat(translator.service(s).isHeadless()).isTrue();
    }

    @Test
    void mergesSlicesPerAddressAndReadsConditions() {
        EndpointSlice http = slice("web-1", "http", 8080,
                ep("10.244.1.5", "node-a", true, true, false), ep("10.244.2.5", "node-b", false, true, true));
        EndpointSlice metrics = slice("web-2", "metrics", 9090, ep("10.244.1.5", "node-a", true, true, false));
        assertThat(ServiceTranslator.owner(http)).contains(new ServiceKey("shop", "web"));
        List<EndpointInfo> eps = translator.endpoints(List.of(http, metrics));
        assertThat(eps).containsExactlyInAnyOrder(
                new EndpointInfo("10.244.1.5", Map.of("http", 8080, "metrics", 9090), EndpointInfo.Conditions.READY, "node-a", true),
                new EndpointInfo("10.244.2.5", Map.of("http", 8080), EndpointInfo.Conditions.TERMINATING_SERVING, "node-b", false));
    }

    static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint ep(String ip, String node, boolean ready, boolean serving, boolean terminating) {
        return new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions().build();
    }

    static EndpointSlice slice(String name, String portName, int port, io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... eps) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName(name)
                .withLabels(Map.of(ServiceTranslator.SERVICE_NAME_LABEL, "web")).endMetadata()
                .withAddressType("IPv4").addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .withEndpoints(eps).build();
    }
}
