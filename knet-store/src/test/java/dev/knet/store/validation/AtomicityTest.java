package dev.knet.store.validation;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A batch with one bad document stores nothing: the store's state and resourceVersion stay as they were. */
class AtomicityTest {

    record Case(String name, String batch, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String GOOD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, namespace: shop}
            data: {a: "1"}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80}]
            ---
            """;

    static List<Case> cases() {
        return List.of(
                new Case("bad Service port last", GOOD + """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: api, namespace: shop}
                        spec: {ports: [{port: 0, targetPort: 80}]}
                        """, "Service shop/api is invalid: spec.ports[0].port: Invalid value: \"0\": must be between 1 and 65535, inclusive"),
                new Case("bad Ingress pathType in the middle", """
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: shop}
                        ---
                        apiVersion: networking.k8s.io/v1
                        kind: Ingress
                        metadata: {name: shop, namespace: shop}
                        spec:
                          rules: [{http: {paths: [{path: /, backend: {service: {name: web, port: {number: 80}}}}]}}]
                        ---
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: cfg, namespace: shop}
                        """, "Ingress shop/shop is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"),
                new Case("bad NetworkPolicy except", GOOD + """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np, namespace: shop}
                        spec:
                          podSelector: {}
                          egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.0/16]}}]}]
                        """, "NetworkPolicy shop/np is invalid: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`"),
                new Case("bad Deployment selector", GOOD + """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web, namespace: shop}
                        spec:
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: api}}
                            spec: {containers: [{name: web, image: nginx}]}
                        """, "Deployment shop/web is invalid: spec.template.metadata.labels: Invalid value: \"map[string]string{\"app\":\"api\"}\": `selector` does not match template `labels`"),
                new Case("bad Pod first", """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: web-1}
                        spec: {containers: [{name: web, image: nginx}], dnsPolicy: None}
                        ---
                        """ + GOOD.substring(0, GOOD.length() - 4),
                        "Pod default/web-1 is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneBadDocumentStoresNothing(Case c) {
        List<HasMetadata> docs = AdmissionFixture.parse(c.batch());
        assertThat(docs).hasSizeGreaterThanOrEqualTo(3);
        try (DefaultApiStore store = AdmissionFixture.store()) {
            long version = store.resourceVersion();
            Map<String, Integer> counts = store.counts();

            var e = catchThrowableOfType(ApiException.Invalid.class, () -> store.commit(AdmissionFixture.creates(docs)));

            assertThat(e.getMessage()).isEqualTo(c.expected());
            assertThat(store.resourceVersion()).isEqualTo(version);
            assertThat(store.counts()).isEqualTo(counts);
            assertThat(store.get(ResourceKinds.NAMESPACE, null, "shop")).isEmpty();
            assertThat(store.list(ResourceKinds.CONFIG_MAP, ListOptions.all()).items()).isEmpty();
        }
    }
}
