package dev.knet.proxy.controller;

import dev.knet.model.Manifests;
import dev.knet.proxy.route.PortRef;
import dev.knet.proxy.route.ServiceBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Service ports resolved to ready endpoint addresses the way kube-proxy resolves targetPort. */
class ServiceEndpointsTest {

    private static final String OBJECTS = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              ports:
              - {name: http, port: 80, targetPort: http-alt}
              - {name: admin, port: 9000, targetPort: 9001}
              - {name: dns, port: 53, protocol: UDP}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: lonely, namespace: shop}
            spec:
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: single, namespace: shop}
            spec:
              ports: [{port: 8080}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-a, namespace: shop, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}, {name: admin, port: 9001}]
            endpoints:
            - addresses: [10.244.1.5]
              conditions: {ready: true}
            - addresses: [10.244.1.6]
              conditions: {ready: false}
            - addresses: [10.244.2.7]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-b, namespace: shop, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            ports: [{name: http, port: 8081}]
            endpoints:
            - addresses: [10.244.3.8]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: single-a, namespace: shop, labels: {kubernetes.io/service-name: single}}
            addressType: IPv4
            ports: [{port: 5000}]
            endpoints:
            - addresses: [10.244.4.9]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: stray, namespace: other, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            ports: [{name: http, port: 1}]
            endpoints:
            - addresses: [10.9.9.9]
            """;

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("port by number: ready and unset-condition endpoints of every slice",
                        new ServiceBackend("shop", "web", new PortRef.Number(80)),
                        List.of("10.244.1.5:8080", "10.244.2.7:8080", "10.244.3.8:8081")),
                Arguments.of("port by name", new ServiceBackend("shop", "web", new PortRef.Named("admin")),
                        List.of("10.244.1.5:9001", "10.244.2.7:9001")),
                Arguments.of("UDP port is not proxied", new ServiceBackend("shop", "web", new PortRef.Number(53)), List.of()),
                Arguments.of("unknown port", new ServiceBackend("shop", "web", new PortRef.Number(81)), List.of()),
                Arguments.of("service without slices", new ServiceBackend("shop", "lonely", new PortRef.Number(80)), List.of()),
                Arguments.of("unnamed single port", new ServiceBackend("shop", "single", new PortRef.Number(8080)),
                        List.of("10.244.4.9:5000")),
                Arguments.of("missing service", new ServiceBackend("shop", "none", new PortRef.Number(80)), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void resolves(String name, ServiceBackend backend, List<String> expected) {
        List<HasMetadata> objects = Manifests.parse(OBJECTS, "test");
        ServiceEndpoints index = ServiceEndpoints.of(
                objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList(),
                objects.stream().filter(EndpointSlice.class::isInstance).map(EndpointSlice.class::cast).toList());

        assertThat(index.endpoints(backend)).extracting(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .containsExactlyElementsOf(expected);
    }
}
