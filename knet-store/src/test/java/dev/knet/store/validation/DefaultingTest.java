package dev.knet.store.validation;

import dev.knet.model.KnetJson;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The defaults the store fills in, read back from the stored object by JSON pointer. */
class DefaultingTest {

    record Case(String name, String yaml, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("ClusterIP Service", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web}
                        spec: {ports: [{name: http, port: 80}, {name: dns, port: 53, protocol: UDP, targetPort: dns}]}
                        """, Map.of(
                        "/spec/type", "ClusterIP",
                        "/spec/ports/0/protocol", "TCP",
                        "/spec/ports/0/targetPort", "80",
                        "/spec/ports/1/protocol", "UDP",
                        "/spec/ports/1/targetPort", "dns",
                        "/spec/sessionAffinity", "None",
                        "/spec/internalTrafficPolicy", "Cluster",
                        "/spec/ipFamilies/0", "IPv4",
                        "/spec/ipFamilyPolicy", "SingleStack",
                        "/spec/externalTrafficPolicy", "<missing>")),
                new Case("NodePort Service with ClientIP affinity", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web}
                        spec: {type: NodePort, sessionAffinity: ClientIP, ports: [{port: 80}]}
                        """, Map.of(
                        "/spec/externalTrafficPolicy", "Cluster",
                        "/spec/sessionAffinityConfig/clientIP/timeoutSeconds", "10800",
                        "/spec/ports/0/nodePort", "<missing>",
                        "/spec/clusterIP", "<missing>")),
                new Case("IPv6 clusterIP", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web}
                        spec: {clusterIP: 'fd00:10:96::a', ports: [{port: 80}]}
                        """, Map.of(
                        "/spec/ipFamilies/0", "IPv6",
                        "/spec/clusterIPs/0", "fd00:10:96::a")),
                new Case("ExternalName Service", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: db}
                        spec: {type: ExternalName, externalName: db.example.com}
                        """, Map.of(
                        "/spec/ipFamilies", "<missing>",
                        "/spec/ipFamilyPolicy", "<missing>",
                        "/spec/internalTrafficPolicy", "<missing>")),
                new Case("Pod", """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: web-1}
                        spec:
                          containers:
                          - name: app
                            image: nginx
                            ports: [{containerPort: 80}]
                            readinessProbe: {httpGet: {port: 80}}
                          - {name: side, image: 'busybox:1.36'}
                        """, Map.of(
                        "/spec/restartPolicy", "Always",
                        "/spec/dnsPolicy", "ClusterFirst",
                        "/spec/terminationGracePeriodSeconds", "30",
                        "/spec/containers/0/ports/0/protocol", "TCP",
                        "/spec/containers/0/imagePullPolicy", "Always",
                        "/spec/containers/1/imagePullPolicy", "IfNotPresent",
                        "/spec/containers/0/readinessProbe/httpGet/path", "/",
                        "/spec/containers/0/readinessProbe/periodSeconds", "10")),
                new Case("Deployment", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web}
                        spec:
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: app, image: nginx, ports: [{containerPort: 80}]}]}
                        """, Map.of(
                        "/spec/replicas", "1",
                        "/spec/strategy/type", "RollingUpdate",
                        "/spec/strategy/rollingUpdate/maxSurge", "25%",
                        "/spec/template/spec/restartPolicy", "Always",
                        "/spec/template/spec/containers/0/ports/0/protocol", "TCP")),
                new Case("NetworkPolicy with ingress only", """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np}
                        spec: {podSelector: {}, ingress: [{ports: [{port: 80}]}]}
                        """, Map.of(
                        "/spec/policyTypes", "[\"Ingress\"]",
                        "/spec/ingress/0/ports/0/protocol", "TCP")),
                new Case("NetworkPolicy with egress rules", """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np}
                        spec: {podSelector: {}, egress: [{ports: [{port: 53, protocol: UDP}]}]}
                        """, Map.of(
                        "/spec/policyTypes", "[\"Ingress\",\"Egress\"]",
                        "/spec/egress/0/ports/0/protocol", "UDP")),
                new Case("NetworkPolicy with explicit types", """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np}
                        spec: {podSelector: {}, policyTypes: [Egress]}
                        """, Map.of("/spec/policyTypes", "[\"Egress\"]")),
                new Case("Ingress pathType stays required", """
                        apiVersion: networking.k8s.io/v1
                        kind: Ingress
                        metadata: {name: shop}
                        spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
                        """, Map.of("/spec/rules", "<missing>")),
                new Case("Namespace name label", """
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: team-a, labels: {kubernetes.io/metadata.name: other}}
                        """, Map.of("/metadata/labels/kubernetes.io~1metadata.name", "team-a")),
                new Case("Secret type", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: s}
                        stringData: {a: b}
                        """, Map.of("/type", "Opaque")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void storeFillsDefaults(Case c) {
        HasMetadata object = AdmissionFixture.parse(c.yaml()).getFirst();
        try (DefaultApiStore store = AdmissionFixture.store()) {
            JsonNode stored = new JsonMapper().readTree(KnetJson.toJson(store.create(object)));

            c.expected().forEach((pointer, value) -> assertThat(text(stored.at(pointer))).as(pointer).isEqualTo(value));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void offlineDefaultsMatchTheStore(Case c) {
        HasMetadata object = AdmissionFixture.parse(c.yaml()).getFirst();
        if (object.getMetadata().getNamespace() == null && !object.getKind().equals("Namespace")) {
            object.getMetadata().setNamespace("default");
        }
        Defaults.apply(object);
        JsonNode defaulted = new JsonMapper().readTree(KnetJson.toJson(object));

        c.expected().forEach((pointer, value) -> assertThat(text(defaulted.at(pointer))).as(pointer).isEqualTo(value));
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "<missing>";
        }
        return node.isValueNode() ? node.asString() : node.toString();
    }
}
