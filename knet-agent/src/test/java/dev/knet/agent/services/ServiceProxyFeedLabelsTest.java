package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceProxyFeedLabelsTest {

    /** Holds what it was told, like the proxy would. */
    static final class RecordingSink implements ServiceEventSink {
        final List<String> events = new ArrayList<>();

        @Override public void onServiceUpdate(ServiceInfo service) { events.add("update " + service.key()); }
        @Override public void onServiceDelete(ServiceKey key) { events.add("delete " + key); }
        @Override public void onEndpointsUpdate(ServiceKey key, List<EndpointInfo> endpoints) { events.add("endpoints " + key); }
        @Override public void onEndpointsDelete(ServiceKey key) { events.add("no endpoints " + key); }
        @Override public void markServicesSynced() { events.add("services listed"); }
        @Override public void markEndpointsSynced() { events.add("slices listed"); }
    }

    static Service web(Map<String, String> labels) {
        return new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").withLabels(labels).endMetadata()
                .withNewSpec().withClusterIP("10.96.0.10").addNewPort().withName("http").withPort(80).endPort().endSpec().build();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("no labels: proxied", Map.of(), "update shop/web"),
                Arguments.of("unrelated label: proxied", Map.of("app", "web"), "update shop/web"),
                Arguments.of("another proxy's service: removed", Map.of(ServiceProxyFeed.PROXY_NAME_LABEL, "foo-bar"), "delete shop/web"),
                Arguments.of("headless label, even empty: removed", Map.of(ServiceProxyFeed.HEADLESS_LABEL, ""), "delete shop/web"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void labelledServicesReachEverySinkAsDeleted(String name, Map<String, String> labels, String expected) {
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        ServiceProxyFeed feed = new ServiceProxyFeed(List.of(a, b), "node-a");

        feed.serviceUpserted(web(labels));
        feed.servicesListed();

        assertThat(a.events).containsExactly(expected, "services listed");
        assertThat(b.events).isEqualTo(a.events);
    }
}
