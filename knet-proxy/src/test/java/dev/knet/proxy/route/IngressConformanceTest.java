package dev.knet.proxy.route;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of conformance/ingress/cases.yaml against the route matcher. */
class IngressConformanceTest {

    /** Stands in for "the data-plane address, no particular Host header". */
    private static final String ADDRESS_HOST = "203.0.113.10";

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = IngressConformanceTest.class.getResourceAsStream("/conformance/ingress/cases.yaml")) {
            Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            List<Map<String, Object>> cases = (List<Map<String, Object>>) file.get("cases");
            return cases.stream().map(c -> Arguments.of(c.get("id"), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void caseHolds(String id, Map<String, Object> c) {
        Map<String, Object> objects = (Map<String, Object>) c.get("objects");
        Ingress ingress = KnetJson.serialization().convertValue(objects.get("ingress"), Ingress.class);
        RouteTable table = RouteTable.compile(List.of(ingress), RouteOptions.defaults());
        Map<String, Object> request = (Map<String, Object>) c.get("request");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");

        String host = (String) request.get("host");
        if (host.startsWith("<")) {
            host = ADDRESS_HOST;
        }
        Scheme scheme = Scheme.parse((String) request.getOrDefault("scheme", "http"));
        String method = request.get("method") == null ? "GET" : (String) request.get("method");
        RouteResult result = table.match(RouteRequest.of(method, scheme, host, (String) request.get("path")));

        Object status = expect.get("status");
        String backend = (String) expect.get("backend");
        if (backend == null && objects.get("backend_replicas") instanceof Map<?, ?> replicas) {
            // the load-balancing case names its backend only through the replica count
            backend = (String) replicas.keySet().iterator().next();
        }
        String expectedBackend = backend;
        if (Integer.valueOf(200).equals(status)) {
            assertThat(result).as(id).isInstanceOfSatisfying(RouteResult.Forward.class,
                    f -> assertThat(f.backend().name()).isEqualTo(expectedBackend));
        } else {
            // 404 and "not served by this controller" both mean: no backend is chosen
            assertThat(result).as(id).isInstanceOf(RouteResult.NotFound.class);
        }
        if (expect.containsKey("tls_certificate_verifies_for")) {
            String tlsHost = (String) expect.get("tls_certificate_verifies_for");
            assertThat(table.certificates()).as(id)
                    .anySatisfy(b -> assertThat(b.host().matches(tlsHost, HostPattern.WildcardScope.ONE_LABEL)).isTrue());
        }
    }
}
