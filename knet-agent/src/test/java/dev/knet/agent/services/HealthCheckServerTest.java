package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.agent.services.EndpointInfo.Conditions;
import dev.knet.agent.services.ServiceInfo.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthCheckServerTest {

    static final ServiceKey WEB = new ServiceKey("shop", "web");
    static final List<ServiceInfo.Port> HTTP = List.of(new ServiceInfo.Port("http", Protocol.TCP, 80, 30080));

    static ServiceInfo lb(TrafficPolicy external, int healthCheckNodePort) {
        return new ServiceInfo(WEB, "10.96.0.10", HTTP, ServiceInfo.Type.LOAD_BALANCER, external, TrafficPolicy.CLUSTER,
                new ServiceInfo.SessionAffinity.None(), List.of("198.18.0.200"), healthCheckNodePort);
    }

    static EndpointInfo ep(String ip, Conditions c, boolean local) {
        return new EndpointInfo(ip, Map.of("http", 8080), c, local ? "node-a" : "node-b", local);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("ready local endpoint: 200", lb(TrafficPolicy.LOCAL, 32000),
                        List.of(ep("10.244.1.5", Conditions.READY, true)), Map.of(32000, 200)),
                Arguments.of("two ready local endpoints count both", lb(TrafficPolicy.LOCAL, 32000),
                        List.of(ep("10.244.1.5", Conditions.READY, true), ep("10.244.1.6", Conditions.READY, true)), Map.of(32000, 200)),
                Arguments.of("only a remote endpoint: 503", lb(TrafficPolicy.LOCAL, 32000),
                        List.of(ep("10.244.2.5", Conditions.READY, false)), Map.of(32000, 503)),
                Arguments.of("only a terminating local endpoint: 503 (drain)", lb(TrafficPolicy.LOCAL, 32000),
                        List.of(ep("10.244.1.5", Conditions.TERMINATING_SERVING, true)), Map.of(32000, 503)),
                Arguments.of("no endpoints at all: 503", lb(TrafficPolicy.LOCAL, 32000), List.of(), Map.of(32000, 503)),
                Arguments.of("Cluster policy has no health check port", lb(TrafficPolicy.CLUSTER, 32000),
                        List.of(ep("10.244.1.5", Conditions.READY, true)), Map.of()),
                Arguments.of("no port allocated yet", lb(TrafficPolicy.LOCAL, 0),
                        List.of(ep("10.244.1.5", Conditions.READY, true)), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void healthFollowsReadyLocalEndpoints(String name, ServiceInfo service, List<EndpointInfo> endpoints, Map<Integer, Integer> statuses) {
        Map<Integer, HealthCheckServer.Health> health = HealthCheckServer.desired(
                new ServiceMirror.View(Map.of(WEB, service), Map.of(WEB, endpoints)));

        assertThat(health).hasSameSizeAs(statuses);
        statuses.forEach((port, status) -> assertThat(health.get(port).status()).isEqualTo(status));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void bodyIsKubeProxysJson(String name, ServiceInfo service, List<EndpointInfo> endpoints, Map<Integer, Integer> statuses) {
        Map<Integer, HealthCheckServer.Health> health = HealthCheckServer.desired(
                new ServiceMirror.View(Map.of(WEB, service), Map.of(WEB, endpoints)));

        long ready = endpoints.stream().filter(e -> e.isLocal() && e.conditions().ready()).count();
        health.values().forEach(h -> assertThat(h.json()).isEqualTo(
                "{\"service\":{\"namespace\":\"shop\",\"name\":\"web\"},\"localEndpoints\":" + ready + ",\"serviceProxyHealthy\":true}"));
    }
}
